# exercises: FastAPI parameters typed int, float, bool, UUID, Enum, Literal or date are validated and carry no injection; str parameters do
import os
from datetime import date
from enum import Enum
from typing import Literal, Optional
from uuid import UUID

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

app = FastAPI()

REPORTS = "/srv/reports"


class Region(str, Enum):
    eu = "eu"
    us = "us"


@app.get("/reports/{report_id}")
def report(report_id: UUID):
    # ok: path-traversal-request-input
    with open(os.path.join(REPORTS, f"{report_id}.pdf"), "rb") as fh:
        return Response(fh.read(), media_type="application/octet-stream")


@app.get("/reports/by-name/{name}")
def report_by_name(name: str):
    # ruleid: path-traversal-request-input
    with open(os.path.join(REPORTS, f"{name}.pdf"), "rb") as fh:
        return Response(fh.read(), media_type="application/octet-stream")


@app.get("/regions/{region}/daily", response_class=HTMLResponse)
def region_daily(region: Region, day: date, limit: Optional[int] = None):
    # ok: reflected-xss
    return f"<h1>{region.value} on {day.isoformat()}</h1><p>top {limit}</p>"


@app.get("/regions/{region}/notes", response_class=HTMLResponse)
def region_notes(region: Region, note: str = ""):
    # ruleid: reflected-xss
    return f"<h1>{region.value}</h1><p>{note}</p>"


@app.get("/exports/{fmt}")
def export(fmt: Literal["csv", "json"], compressed: bool = False):
    suffix = ".gz" if compressed else ""
    # ok: path-traversal-request-input
    with open(os.path.join(REPORTS, "export." + fmt + suffix), "rb") as fh:
        return Response(fh.read(), media_type="application/octet-stream")


@app.get("/exports/custom/{fmt}")
def export_custom(fmt: str, compressed: bool = False):
    suffix = ".gz" if compressed else ""
    # ruleid: path-traversal-request-input
    with open(os.path.join(REPORTS, "export." + fmt + suffix), "rb") as fh:
        return Response(fh.read(), media_type="application/octet-stream")
