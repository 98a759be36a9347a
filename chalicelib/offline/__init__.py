"""Offline adapters: embeddings, chat understanding, sentiment, drafter, OCR, local secrets.

They run with no network and ship in the Lambda zip like any other adapter; providers picks them.
"""
