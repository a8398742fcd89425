"""Request bodies of the load test, shared by the locustfile and the runner (no dependency)."""

from __future__ import annotations

import random
from typing import Any

STATEMENTS = (
    "Công ty thu phí dịch vụ cao hơn hợp đồng và giữ hộ chiếu của tôi.",
    "Nghiệp đoàn không trả lương làm thêm giờ trong ba tháng.",
    "Tôi phải đặt cọc 30 triệu đồng trước khi xuất cảnh.",
)


def grievance_body() -> dict[str, Any]:
    return {
        "where_now": random.choice(("VN", "JP")),  # noqa: S311
        "categories": ["fees_debt"],
        "stage": "before_departure",
        "statement": random.choice(STATEMENTS),  # noqa: S311
        "contact": "",
    }
