"""HTTP API with the health endpoints the image's HEALTHCHECK and the
orchestrator probe. Uvicorn handles SIGTERM (forwarded by tini) and drains
connections before exiting."""

import os
import time

from fastapi import FastAPI, Response

STARTED = time.monotonic()
app = FastAPI(title="prodimage example: Python API")


@app.get("/health")
@app.get("/health/live")
def live() -> dict:
    return {"status": "ok", "uptime": round(time.monotonic() - STARTED, 3)}


@app.get("/health/ready")
def ready(response: Response) -> dict:
    # Check dependencies (database, cache) here before reporting ready.
    return {"status": "ready"}


@app.get("/")
def root() -> dict:
    return {"message": "Hello from production", "pid": os.getpid()}
