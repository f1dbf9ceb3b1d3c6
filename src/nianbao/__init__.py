"""nianbao — government information-disclosure annual reports (政府信息公开工作年度报告) as data.

    from nianbao import read, extract, extract_path
    report = extract_path("report.docx")
    report.to_dict()          # the data contract's JSON
"""
__version__ = "0.1.0"

from .extract import extract, extract_path  # noqa: E402
from .readers import read, read_bytes  # noqa: E402

__all__ = ["read", "read_bytes", "extract", "extract_path", "__version__"]
