"""Strip what could identify a person from a worker's report before it is published.

Phone numbers, e-mail addresses, chat handles and personal names (after an honorific, or a
Vietnamese full name starting with a common family name, or a Japanese name followed by さん/様)
are replaced by a bracketed placeholder. A moderator reads the result before publication; this
is a safety net, not the only check.
"""

from __future__ import annotations

import re

PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-‐－ー]{6,}\d(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
HANDLE = re.compile(r"(?<!\w)@[A-Za-z0-9_.]{3,}")
URL_PERSONAL = re.compile(r"https?://(www\.)?(facebook\.com|fb\.com|zalo\.me|line\.me)/\S+", re.I)
_UPPER = r"[A-ZÀ-ỸĐ][a-zà-ỹđ]*"
HONORIFIC = re.compile(
    rf"\b((?i:anh|chị|chi|ông|ong|bà|ba|em|cô|co|chú|chu|thầy|thay|mr|mrs|ms|miss))\.?\s+"
    rf"{_UPPER}(\s+{_UPPER}){{0,3}}"
)
# Common family names; not those that also begin place names (Hà Nội, Hồ Chí Minh, Lâm Đồng).
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Đoàn",
    "Trương",
    "Tạ",
    "Lưu",
    "Trịnh",
    "Nguyen",
    "Tran",
    "Pham",
    "Hoang",
    "Huynh",
    "Vu",
    "Vo",
    "Dang",
    "Bui",
    "Ngo",
    "Duong",
]
VN_NAME = re.compile(rf"\b({'|'.join(FAMILY)})(\s+{_UPPER}){{1,3}}\b")
JA_NAME = re.compile(r"[一-龯ぁ-んァ-ヶー]{1,8}(さん|様|さま|氏|先生|社長|部長)")

PLACEHOLDERS = {"phone": "[…]", "name": "[…]"}


def redact(text: str) -> str:
    """The text with phone numbers, e-mail addresses, handles and personal names removed."""
    text = EMAIL.sub("[e-mail]", text)
    text = URL_PERSONAL.sub("[link]", text)
    text = HANDLE.sub("[handle]", text)
    text = PHONE.sub("[phone]", text)
    text = HONORIFIC.sub(lambda m: m.group(1) + " [name]", text)
    text = VN_NAME.sub("[name]", text)
    return JA_NAME.sub(lambda m: "[name]" + m.group(1), text)
