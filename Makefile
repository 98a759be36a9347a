# FinQ's two commands: `make run` (FinQ locally) and `make test` (the whole suite), and the AWS
# ones: `make synth` (offline), `make deploy STAGE=dev`, `make destroy STAGE=dev` (infra/cdk.sh).
# All create .venv and install requirements-dev.txt on first use, and reuse them afterwards.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Python 3.12 matches the Lambda runtime FinQ packages for; any 3.11+ runs locally.
PYTHON ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3.13 python3.11 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

STAGE ?= dev
STAGES := dev prod

.PHONY: help run services test lint package-check bench clean ocr synth deploy destroy

help:
	@echo "make run        run FinQ locally (REST on :8000, AWS endpoint on :4566) until Ctrl-C"
	@echo "make services   start only the local parts, for \`chalice local --stage local\`"
	@echo "make test       lint (ruff), type-check (mypy) and run the whole test suite"
	@echo "make lint       ruff"
	@echo "make package-check  build the dev stage's Lambda package and check it"
	@echo "make synth      synthesize every stage's CloudFormation template offline and lint it"
	@echo "make deploy STAGE=dev   deploy a stage to the configured AWS account (see README)"
	@echo "make destroy STAGE=dev  delete a stage (data kept unless DELETE_DATA=1)"
	@echo "make clean      delete .finq/ (local data) and .venv/"

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "FinQ needs Python 3.11 or newer" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 \
	  | { grep -v '^WARNING: Location' || true; }
	@touch $(STAMP)

# Tesseract (Debian packages) reads attachments locally; FinQ runs without it, saying so.
ocr:
	@if ! (command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx kor); then \
	  echo "installing tesseract-ocr (kor, eng) for attachment OCR"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	      tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng >/dev/null ) \
	  || echo "could not install tesseract: attachments will be marked as not read"; \
	fi

run: $(STAMP) ocr
	$(BIN)/python -m devstack run

services: $(STAMP) ocr
	$(BIN)/python -m devstack services

test: $(STAMP) ocr
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

package-check: $(STAMP)
	$(BIN)/python scripts/check_package.py --stage dev

synth: $(STAMP)
	@for stage in $(STAGES); do PYTHON=$(abspath $(BIN))/python bash infra/cdk.sh synth $$stage; done

deploy: $(STAMP)
	PYTHON=$(abspath $(BIN))/python bash infra/cdk.sh deploy $(STAGE)

destroy: $(STAMP)
	PYTHON=$(abspath $(BIN))/python bash infra/cdk.sh destroy $(STAGE)

clean:
	rm -rf .finq $(VENV) chalice.out infra/chalice.out infra/cdk.out
