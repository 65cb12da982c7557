"""The KPI report: what went out, what is planned, what is at risk.

Its inputs are read by loading, like every other file: the site model, the
platforms' exports (`load/metrics.py`) and each post's git history
(`load/history.py`). Here it is pure, one room per job:

- `model`: the period and the frozen report records;
- `compute`: metrics rows matched to queue items, and every number;
- `formats`: the text, JSON and CSV that `hearth report` prints;
- `charts`: the SVG charts of the report page;
- `page`: the review site's report page, planned as one `Output`.
"""

from .compute import build_report
from .formats import FORMATS, report_csv, report_json, report_text
from .model import make_period
from .page import plan_report

__all__ = ["FORMATS", "build_report", "make_period", "plan_report", "report_csv", "report_json",
           "report_text"]
