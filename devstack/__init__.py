"""Local mode's machinery, never packaged in a Lambda zip.

The runner, moto server, embedded PostgreSQL, Milvus Lite, the WebSocket gateway, the S3/SQS
event poller and the local bootstrap. chalicelib never imports this package.
"""
