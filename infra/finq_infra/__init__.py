"""FinQ's AWS infrastructure as CDK constructs: one stack per stage (see infra/app.py)."""
