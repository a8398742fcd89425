"""A real placement contract as a fixture (issue 14, item 10).

The contract: a Vietnamese sending company's TITP template for Japan printed as Form 03 of
Circular 09/2026/TT-BNV (issued 2026-05-15, in force 2026-06-30), 36 months, itemised in the
project's legal notes (reference legal-2026-12, section 1(a)). The worker pays 90,000,000 VND
before departure, 40,000,000 of it service fee; Art. 5 says "Hai bên không tiến hành bất cứ thỏa
thuận ký quỹ nào" (no deposit); the Japanese-language course (5,900,000) is paid separately.

What the template does not say, and this fixture assumes (each verdict below holds for it):

* the contract date: 2026-07-15 (a Form 03 of Circular 09/2026 is signed on or after 2026-06-30);
  no departure date (dispatch "within 180 days of selection");
* the basic wage: 180,000 JPY a month at 170 VND/JPY = 30,600,000 VND, so the Law's general
  ceiling for 36 months is 3 x 30,600,000 = 91,800,000 VND;
* nothing reported about passports, penalty contracts or forced savings (not asked);
* every item is paid to the sending company and its category chosen by hand, not guessed;
* the three travel lines are split as the Japanese side's list splits them (issue 14, item 3):
  the air ticket Viet Nam - workplace is the flight to Japan (``flight_to_japan``; 0, the
  contract says the supervising organisation pays it); travel during the 6-9 months of training
  and the airport transfer are travel inside Viet Nam (``domestic_travel``).

The verdict of every rule is written by hand, with its reason, and compared with the engine.
"""

from __future__ import annotations

from typing import Any

from fairpassage.law import check_fees

PAYMENTS: list[dict[str, Any]] = [
    # (label as in the contract, category chosen by hand, amount in VND)
    {"label": "Tiền dịch vụ", "category": "service_fee", "amount": 40_000_000},
    {"label": "Quỹ Hỗ trợ việc làm ngoài nước", "category": "fund_contribution", "amount": 100_000},
    {
        "label": "Vé máy bay Việt Nam - nơi làm việc (nghiệp đoàn trả)",
        "category": "flight_to_japan",
        "amount": 0,
    },
    {"label": "Hộ chiếu", "category": "documents", "amount": 200_000},
    {"label": "Visa", "category": "visa", "amount": 2_870_000},
    {"label": "Lý lịch tư pháp", "category": "documents", "amount": 200_000},
    {"label": "Khám sức khỏe", "category": "medical", "amount": 7_000_000},
    {
        "label": "Đi lại trong thời gian đào tạo 6-9 tháng",
        "category": "domestic_travel",
        "amount": 14_630_000,
    },
    {"label": "Quần áo, đồ dùng", "category": "other", "amount": 20_000_000},
    {"label": "Đưa đón sân bay", "category": "domestic_travel", "amount": 3_000_000},
    {"label": "Tiêm phòng", "category": "medical", "amount": 2_000_000},
    {"label": "Học tiếng Nhật 180 ngày", "category": "language_training", "amount": 5_900_000},
]

CONTRACT: dict[str, Any] = {
    "programme": "titp",
    "stage": "titp1",
    "contract_months": 36,
    "monthly_basic_wage": {"amount": 180000, "currency": "JPY"},
    "fx": {"JPY": 170},
    "signed_on": "2026-07-15",
    "payments": [{**p, "currency": "VND", "payee": "sending_organisation"} for p in PAYMENTS],
}

# rule -> (status, hand-computed figures, why)
VERDICTS: dict[str, tuple[str, dict[str, Any], str]] = {
    "VN-SERVICE-FEE-CAP": (
        "needs_review",
        {"paid_vnd": 40_000_000, "limit_vnd": 91_800_000, "excess_vnd": 0},
        "40,000,000 is within the Law's general ceiling (Law 69 Art. 23(4)(a): 3 months' wage "
        "for 36 months = 91,800,000), but Circular 09/2026 replaced Annex XI and the Japan "
        "ceiling in force on 2026-07-15 has not been read: it may be lower. Not compliant yet.",
    ),
    "VN-BROKERAGE-FROM-WORKER": ("not_applicable", {}, "No brokerage is listed."),
    "VN-WORKER-DEPOSIT-JAPAN": (
        "not_applicable",
        {},
        "Art. 5 of the contract: no deposit agreement; none is listed.",
    ),
    "VN-SELECTION-FEE": ("not_applicable", {}, "No selection fee is listed."),
    "VN-FUND-CONTRIBUTION": (
        "compliant",
        {"paid_vnd": 100_000, "limit_vnd": 100_000},
        "100,000 is exactly the worker's contribution (Decision 40/2021 Art. 8(1)).",
    ),
    "VN-JP-SIDE-COSTS": (
        "needs_review",
        {"paid_vnd": 0 + 5_900_000, "payments": [2, 11], "excess_vnd": 0},
        "The flight to Japan (0) and the language course (5,900,000) are items an Annex II has "
        "put on the Japanese side (Circular 02/2024: the TITP air ticket; the SSW language "
        "training). Circular 09/2026 replaced Annex II and its list is not read, so whether the "
        "worker may be charged them is open, and the finding names the unread list. Travel "
        "inside Viet Nam (14,630,000 and 3,000,000) is on no list that was read: not counted.",
    ),
    "JP-SUPERVISION-SUPPORT-FEES": (
        "not_applicable",
        {},
        "Nothing is paid to a Japanese supervising organisation, and no supervision fee is listed.",
    ),
    "JP-JAPANESE-PAYEE-FEES": (
        "not_applicable",
        {},
        "Every item is paid to the sending company in Viet Nam.",
    ),
    "JP-TITP-DEPOSIT-PENALTY": (
        "not_applicable",
        {},
        "No deposit or penalty bond paid, and no penalty contract reported.",
    ),
    "JP-SSW-DEPOSIT-PENALTY": ("not_applicable", {}, "Not an SSW contract."),
    "JP-TITP-FORCED-SAVINGS": ("not_applicable", {}, "Nothing reported about savings."),
    "JP-DOCUMENT-RETENTION": ("not_applicable", {}, "Nothing reported about documents."),
    "ILO-EMPLOYER-PAYS": (
        "advisory",
        {
            "paid_vnd": 40_000_000
            + 100_000
            + 200_000
            + 2_870_000
            + 200_000
            + 7_000_000
            + 14_630_000
            + 3_000_000
            + 2_000_000
            + 5_900_000
        },
        "Under the ILO standard the worker should pay no recruitment fee or related cost: the "
        "service fee and every related cost, the domestic travel included, count (75,900,000); "
        "clothing and supplies (other, "
        "20,000,000) are not a recruitment cost. Advice, not a breach of law.",
    ),
    "ILO-ILLEGITIMATE-COST": ("not_applicable", {}, "No bribe, bond or deposit is listed."),
    "ESD-SENDING-FEE-CAP": ("not_applicable", {}, "Not an ESD contract."),
}


def test_every_rule_gives_the_hand_written_verdict() -> None:
    report = check_fees(CONTRACT, "en")
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == set(VERDICTS), "every rule has a hand-written verdict"
    for rule, (status, figures, why) in VERDICTS.items():
        finding = by_rule[rule]
        assert finding["status"] == status, f"{rule}: {finding['status']} - expected because {why}"
        for key, value in figures.items():
            assert finding[key] == value, f"{rule}.{key}: {finding[key]} != {value} ({why})"


def test_the_summary_adds_up_by_hand() -> None:
    report = check_fees(CONTRACT, "en")
    summary = report["summary"]
    assert summary["total_paid_vnd"] == 90_000_000 + 5_900_000  # the contract's total + course
    assert summary["excess_vnd"] == 0  # nothing is a verified violation
    assert summary["unclassified_vnd"] == 0
    assert summary["status"] == "needs_review"
    service = next(f for f in report["findings"] if f["rule"] == "VN-SERVICE-FEE-CAP")
    assert [m["id"] for m in service["missing_parameters"]] == ["vn.service_fee.jp.other"]
    japan = next(f for f in report["findings"] if f["rule"] == "VN-JP-SIDE-COSTS")
    assert [m["id"] for m in japan["missing_parameters"]] == ["vn.jp_side_costs.categories"]


def test_the_same_contract_under_circular_02_2024_decides_the_service_fee() -> None:
    """Dated a year earlier, Annex XI of Circular 02/2024 was read (no lower Japan row for TITP
    stage 1): 40,000,000 is within 91,800,000 and the answer is compliant.

    Annex II of Circular 02/2024 was read too: for TITP the Japanese side pays the round-trip
    air ticket, nothing else. The flight to Japan is on that list but the worker paid 0 for it
    (a payment of 0 is never a violation); the language course is on the SSW list, not the TITP
    one; travel inside Viet Nam is on neither; no travel line leaves its trip unsaid. So the
    rule has nothing to say: not applicable, and nothing counts as excess."""
    earlier = {**CONTRACT, "signed_on": "2025-07-15"}
    report = check_fees(earlier, "en")
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["VN-SERVICE-FEE-CAP"]["status"] == "compliant"
    assert by_rule["VN-SERVICE-FEE-CAP"]["limit_vnd"] == 91_800_000
    assert by_rule["VN-JP-SIDE-COSTS"]["status"] == "not_applicable"
    assert by_rule["VN-JP-SIDE-COSTS"]["excess_vnd"] == 0
    assert report["summary"]["excess_vnd"] == 0


def test_a_paid_flight_to_japan_under_circular_02_2024_would_be_a_violation() -> None:
    """The same contract a year earlier, had the worker paid 8,000,000 for the flight to Japan:
    the TITP air ticket is on the Japanese side's list (Circular 02/2024 Annex II), so the whole
    payment is unlawful; the domestic travel lines still are not (8,000,000 is the excess)."""
    payments = [dict(p) for p in CONTRACT["payments"]]
    payments[2]["amount"] = 8_000_000
    report = check_fees({**CONTRACT, "signed_on": "2025-07-15", "payments": payments}, "en")
    japan = next(f for f in report["findings"] if f["rule"] == "VN-JP-SIDE-COSTS")
    assert (japan["status"], japan["excess_vnd"], japan["payments"]) == (
        "violation",
        8_000_000,
        [2],
    )
    assert report["summary"]["excess_vnd"] == 8_000_000
