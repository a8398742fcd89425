"""Our recruitment-cost questionnaire for the Viet Nam–Japan route, as XLSForm rows.

One definition serves three uses: ``tools/build_questionnaire.py`` writes the XLSForm that a team
loads into KoboToolbox or ODK unchanged; the importers read exports of it into the canonical
table; the tests generate exports from it. Labels are in Vietnamese, English and Japanese.
Cost items use the fee-check categories.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from fairpassage.law.taxonomy import CATEGORIES, CATEGORY_NAMES

FORM_ID = "fairpassage_sdg1071"
FORM_VERSION = "2026112701"
LANGS = (("vi", "Vietnamese (vi)"), ("en", "English (en)"), ("ja", "Japanese (ja)"))
COST_REPEAT = "cost_item"

Labels = dict[str, str]


def _l(vi: str, en: str, ja: str) -> Labels:
    return {"vi": vi, "en": en, "ja": ja}


CHOICES: dict[str, list[tuple[str, Labels]]] = {
    "yes_no": [("yes", _l("Có", "Yes", "はい")), ("no", _l("Không", "No", "いいえ"))],
    "sex": [
        ("female", _l("Nữ", "Female", "女性")),
        ("male", _l("Nam", "Male", "男性")),
        ("other", _l("Khác / không muốn trả lời", "Other / prefer not to say", "その他・無回答")),
    ],
    "programme": [
        ("titp", _l("Thực tập sinh kỹ năng", "Technical intern training", "技能実習")),
        ("ssw", _l("Kỹ năng đặc định", "Specified Skilled Worker", "特定技能")),
        ("esd", _l("Phát triển kỹ năng", "Employment for Skill Development", "育成就労")),
        ("other", _l("Khác", "Other", "その他")),
    ],
    "occupation": [
        ("agriculture", _l("Nông nghiệp", "Agriculture", "農業")),
        ("construction", _l("Xây dựng", "Construction", "建設")),
        ("food", _l("Chế biến thực phẩm", "Food processing", "食品製造")),
        ("manufacturing", _l("Sản xuất, cơ khí", "Manufacturing", "製造業")),
        ("care", _l("Điều dưỡng, chăm sóc", "Care work", "介護")),
        ("hospitality", _l("Nhà hàng, khách sạn", "Hospitality", "外食・宿泊")),
        ("other", _l("Khác", "Other", "その他")),
    ],
    "cost_category": [(key, dict(CATEGORY_NAMES[key])) for key in CATEGORIES],
    "payee": [
        ("sending_agency", _l("Doanh nghiệp phái cử", "Sending agency", "送出機関")),
        ("broker", _l("Người môi giới", "Broker or intermediary", "仲介者・ブローカー")),
        ("training_centre", _l("Trung tâm đào tạo", "Training centre", "研修センター")),
        ("employer", _l("Chủ sử dụng ở Nhật", "Employer in Japan", "日本の雇用主")),
        (
            "supervising_org",
            _l("Nghiệp đoàn (tổ chức quản lý)", "Supervising organisation", "監理団体"),
        ),
        ("government", _l("Cơ quan nhà nước", "Government office", "行政機関")),
        ("other", _l("Khác", "Other", "その他")),
    ],
    "timing": [
        ("before_departure", _l("Trước khi xuất cảnh", "Before departure", "出国前")),
        ("after_arrival", _l("Sau khi đến Nhật", "After arrival", "来日後")),
        ("wage_deduction", _l("Trừ vào lương", "Deducted from wages", "賃金からの控除")),
    ],
    "currency": [
        ("VND", _l("Đồng Việt Nam (VND)", "Vietnamese dong (VND)", "ベトナムドン（VND）")),
        ("JPY", _l("Yên Nhật (JPY)", "Japanese yen (JPY)", "日本円（JPY）")),
        ("USD", _l("Đô la Mỹ (USD)", "US dollar (USD)", "米ドル（USD）")),
    ],
    "lender": [
        ("bank", _l("Ngân hàng", "Bank", "銀行")),
        ("policy_bank", _l("Ngân hàng Chính sách xã hội", "Social policy bank", "社会政策銀行")),
        ("family", _l("Gia đình, bạn bè", "Family or friends", "家族・友人")),
        ("moneylender", _l("Người cho vay tư nhân", "Private moneylender", "個人の貸金業者")),
        ("agency", _l("Doanh nghiệp phái cử", "Sending agency", "送出機関")),
        ("other", _l("Khác", "Other", "その他")),
    ],
}

# (type, name, labels, extra columns); groups open with begin_group/begin_repeat and close with
# end_group/end_repeat.
SURVEY: list[tuple[str, str, Labels, dict[str, str]]] = [
    (
        "select_one yes_no",
        "consent",
        _l(
            "Bạn có đồng ý trả lời khảo sát này không? Câu trả lời được giữ kín.",
            "Do you agree to answer this survey? Your answers stay confidential.",
            "この調査への回答に同意しますか。回答の秘密は守られます。",
        ),
        {"required": "yes"},
    ),
    (
        "begin_group",
        "profile",
        _l("Thông tin về bạn", "About you", "あなたについて"),
        {"relevant": "${consent} = 'yes'"},
    ),
    ("select_one sex", "sex", _l("Giới tính", "Sex", "性別"), {"required": "yes"}),
    ("integer", "age", _l("Tuổi", "Age", "年齢"), {"constraint": ". >= 15 and . <= 80"}),
    ("text", "province", _l("Tỉnh/thành phố quê quán", "Home province", "出身の省・市"), {}),
    (
        "select_one programme",
        "programme",
        _l("Chương trình", "Programme", "在留資格・制度"),
        {"required": "yes"},
    ),
    (
        "select_one occupation",
        "occupation",
        _l("Ngành nghề ở Nhật", "Occupation in Japan", "日本での職種"),
        {},
    ),
    (
        "integer",
        "departure_year",
        _l("Năm xuất cảnh", "Year of departure", "出国した年"),
        {"constraint": ". >= 1990 and . <= 2100", "required": "yes"},
    ),
    ("end_group", "", {}, {}),
    (
        "begin_repeat",
        COST_REPEAT,
        _l("Từng khoản chi phí bạn đã trả", "Each cost you paid", "支払った費用（1件ずつ）"),
        {"relevant": "${consent} = 'yes'"},
    ),
    (
        "select_one cost_category",
        "item",
        _l("Khoản chi", "Cost item", "費用の種類"),
        {"required": "yes"},
    ),
    ("select_one payee", "paid_to", _l("Trả cho ai", "Paid to", "支払先"), {}),
    (
        "select_one timing",
        "paid_when",
        _l("Trả khi nào", "When paid", "支払時期"),
        {"required": "yes"},
    ),
    (
        "decimal",
        "amount",
        _l("Số tiền", "Amount", "金額"),
        {"required": "yes", "constraint": ". >= 0"},
    ),
    (
        "select_one currency",
        "currency",
        _l("Đơn vị tiền", "Currency", "通貨"),
        {"required": "yes", "default": "VND"},
    ),
    ("end_repeat", "", {}, {}),
    (
        "begin_group",
        "financing",
        _l("Vay tiền để đi", "Borrowing to go", "渡航のための借金"),
        {"relevant": "${consent} = 'yes'"},
    ),
    (
        "select_one yes_no",
        "borrowed",
        _l(
            "Bạn có vay tiền để trả các chi phí này không?",
            "Did you borrow to pay these costs?",
            "これらの費用を払うために借金をしましたか。",
        ),
        {"required": "yes"},
    ),
    (
        "select_multiple lender",
        "lenders",
        _l("Vay của ai", "Borrowed from", "借入先"),
        {"relevant": "${borrowed} = 'yes'"},
    ),
    (
        "decimal",
        "loan_amount",
        _l("Tổng số tiền vay", "Total borrowed", "借入総額"),
        {"relevant": "${borrowed} = 'yes'", "constraint": ". >= 0"},
    ),
    (
        "select_one currency",
        "loan_currency",
        _l("Đơn vị tiền của khoản vay", "Currency of the loan", "借入の通貨"),
        {"relevant": "${borrowed} = 'yes'", "default": "VND"},
    ),
    (
        "decimal",
        "interest_monthly",
        _l("Lãi suất (% mỗi tháng)", "Interest (% per month)", "利息（月利％）"),
        {"relevant": "${borrowed} = 'yes'", "constraint": ". >= 0 and . <= 100"},
    ),
    ("end_group", "", {}, {}),
    (
        "begin_group",
        "earnings",
        _l("Thu nhập và nợ", "Earnings and debt", "収入と借金"),
        {"relevant": "${consent} = 'yes'"},
    ),
    (
        "decimal",
        "first_month_earnings",
        _l(
            "Tiền lương tháng đầu tiên ở Nhật (trước khi trừ)",
            "Earnings of your first month in Japan (before deductions)",
            "日本での最初の月の収入（控除前）",
        ),
        {"constraint": ". >= 0"},
    ),
    (
        "select_one currency",
        "earnings_currency",
        _l("Đơn vị tiền", "Currency", "通貨"),
        {"default": "JPY"},
    ),
    (
        "decimal",
        "current_debt",
        _l("Số nợ hiện còn", "Debt still owed now", "現在の借金残高"),
        {"constraint": ". >= 0"},
    ),
    (
        "select_one currency",
        "debt_currency",
        _l("Đơn vị tiền", "Currency", "通貨"),
        {"default": "VND"},
    ),
    ("end_group", "", {}, {}),
]

GROUPS = ("begin_group", "end_group", "begin_repeat", "end_repeat")


def fields() -> list[tuple[str, str, str | None]]:
    """(name, XLSForm type, repeat name or None) of every question, in order."""
    out = []
    repeat = None
    for kind, name, _labels, _extra in SURVEY:
        if kind == "begin_repeat":
            repeat = name
        elif kind == "end_repeat":
            repeat = None
        elif kind not in GROUPS:
            out.append((name, kind, repeat))
    return out


def choice_list(field_type: str) -> str | None:
    parts = field_type.split()
    return parts[1] if len(parts) == 2 and parts[0].startswith("select_") else None


def xlsform_sheets() -> dict[str, list[list[Any]]]:
    """The three XLSForm sheets as rows (header first)."""
    label_cols = [f"label::{title}" for _code, title in LANGS]
    extras = ["required", "relevant", "constraint", "default"]
    survey: list[list[Any]] = [["type", "name", *label_cols, *extras]]
    for kind, name, labels, extra in SURVEY:
        row = [kind, name, *(labels.get(code, "") for code, _t in LANGS)]
        survey.append(row + [extra.get(key, "") for key in extras])
    choices: list[list[Any]] = [["list_name", "name", *label_cols]]
    for list_name, options in CHOICES.items():
        for value, labels in options:
            choices.append([list_name, value, *(labels[code] for code, _t in LANGS)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            "Chi phí tuyển dụng lao động Việt Nam – Nhật Bản (SDG 10.7.1)",
            FORM_ID,
            FORM_VERSION,
            LANGS[0][1],
        ],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsform(path: Path) -> Path:
    """Write the XLSForm workbook (survey, choices, settings sheets)."""
    book = openpyxl.Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for title, rows in xlsform_sheets().items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
