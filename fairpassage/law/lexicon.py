"""Phrases people use for each cost category, in Vietnamese, Japanese and English.

Write phrases as people write them; the classifier folds them (accents, case, width, kana) the same
way it folds labels, so "Phí dịch vụ" also covers "phi dich vu". Phrases under ``BLOCK`` are
look-alikes that must not be read as a category (they make the label unknown when they win).
"""

from __future__ import annotations

BLOCK = "__block__"

# fmt: off
LEXICON: dict[str, tuple[str, ...]] = {
    "service_fee": (
        "phí dịch vụ", "tiền dịch vụ", "phi dv", "tien dv", "pdv", "dịch vụ phí",
        "phí dịch vụ xuất khẩu lao động", "phí cung ứng lao động", "phí cung ứng",
        "phí phái cử", "tiền phái cử", "phí công ty phái cử", "phí xuất cảnh công ty",
        "tiền dịch vụ công ty", "phí dịch vụ đi nhật",
        "手数料", "てすうりょう", "送出機関手数料", "送り出し機関手数料", "送出し機関への手数料",
        "送出機関への支払い", "送り出し機関への費用", "派遣手数料", "サービス料", "サービス費",
        "service fee", "service charge", "agency fee", "placement fee", "recruitment fee",
        "sending fee", "sending organisation fee", "sending organization fee", "dispatch fee",
        "recruitment agency fee", "agent fee", "job placement fee",
    ),
    "brokerage": (
        "môi giới", "tiền môi giới", "phí môi giới", "chi phí môi giới", "hoa hồng",
        "tiền hoa hồng", "tiền cò", "tiền cho cò", "trả cò", "phí giới thiệu", "tiền giới thiệu",
        "tiền người giới thiệu", "trung gian", "phí trung gian", "tiền trung gian",
        "仲介", "仲介料", "仲介手数料", "ブローカー", "紹介料", "紹介手数料", "あっせん料",
        "斡旋料",
        "broker", "brokerage", "broker fee", "commission", "middleman", "introduction fee",
        "referral fee", "intermediary fee", "agent commission",
    ),
    "deposit": (
        "tiền cọc", "đặt cọc", "tiền đặt cọc", "cọc", "ký quỹ", "tiền ký quỹ", "ky quy",
        "tiền bảo lãnh", "tiền đảm bảo", "tiền bảo đảm", "tiền giữ chỗ", "cọc giữ chỗ",
        "tiền thế chân",
        "保証金", "ほしょうきん", "デポジット", "預り金", "預かり金", "預託金", "敷金",
        "deposit", "security deposit", "guarantee money", "guarantee deposit",
        "refundable deposit", "escrow", "bond money",
    ),
    "selection_fee": (
        "phí tuyển chọn", "tiền tuyển chọn", "phí phỏng vấn", "tiền phỏng vấn", "phí thi tuyển",
        "phí sơ tuyển", "phí dự tuyển", "lệ phí dự tuyển", "phí đăng ký dự tuyển",
        "phí đăng ký", "tiền đăng ký", "phí nộp hồ sơ dự tuyển", "phí xét tuyển",
        "選考料", "選考費", "面接料", "面接費", "登録料", "応募料", "試験選考料",
        "selection fee", "interview fee", "application fee", "registration fee",
        "screening fee", "selection test fee",
    ),
    "language_training": (
        "tiếng nhật", "học tiếng", "tiền học tiếng", "học phí tiếng", "đào tạo tiếng",
        "khóa tiếng", "khoá tiếng", "lớp tiếng", "jlpt", "nat test", "thi năng lực tiếng",
        "ngoại ngữ", "học ngoại ngữ", "sách tiếng", "giáo trình tiếng", "n4", "n5",
        "日本語", "日本語教育", "日本語研修", "日本語講習", "語学", "語学研修", "日本語学校",
        "japanese course", "japanese class", "japanese classes", "japanese lessons",
        "japanese language", "language course", "language training", "language class",
        "language school", "language lessons", "language test",
    ),
    "skills_training": (
        "đào tạo nghề", "học nghề", "tay nghề", "thi tay nghề", "kỹ năng nghề", "đào tạo kỹ năng",
        "thi kỹ năng", "phí thi kỹ năng", "thi kỹ năng đặc định", "đào tạo điều dưỡng",
        "học điều dưỡng", "học hàn", "đào tạo hàn", "thi hàn", "học lái",
        "技能講習", "技能試験", "職業訓練", "技能検定", "特定技能試験", "技能評価試験",
        "介護研修", "溶接訓練",
        "skills training", "skill training", "vocational training", "skills test",
        "skill test", "trade test", "technical training", "welding training", "caregiver training",
    ),
    "orientation": (
        "giáo dục định hướng", "định hướng", "học định hướng", "bồi dưỡng kiến thức",
        "bồi dưỡng kiến thức cần thiết", "chứng chỉ định hướng", "gddh",
        "事前講習", "入国前講習", "オリエンテーション", "事前ガイダンス", "出国前研修",
        "orientation", "pre departure orientation", "predeparture orientation",
        "pre departure training", "pre departure briefing", "pdos", "pdo",
    ),
    "medical": (
        "khám sức khỏe", "khám sức khoẻ", "khám sk", "ksk", "phí khám", "tiền khám",
        "xét nghiệm", "tiêm phòng", "tiêm vắc xin", "vắc xin", "vaccine", "chụp x quang",
        "x quang", "kiểm tra sức khỏe", "giấy khám sức khỏe", "khám bệnh", "khám tổng quát",
        "健康診断", "健診", "検診", "予防接種", "ワクチン", "診断書", "メディカルチェック",
        "レントゲン",
        "medical", "medical check", "medical exam", "medical examination", "health check",
        "health check up", "health exam", "vaccination", "x ray", "blood test", "hospital",
    ),
    "insurance": (
        "bảo hiểm", "tiền bảo hiểm", "phí bảo hiểm", "bh", "bhyt", "bảo hiểm y tế",
        "bảo hiểm tai nạn", "bảo hiểm xã hội",
        "保険", "保険料", "海外旅行保険", "傷害保険",
        "insurance", "insurance premium", "travel insurance", "health insurance",
        "medical insurance", "accident insurance",
    ),
    "documents": (
        "hồ sơ", "làm hồ sơ", "phí hồ sơ", "tiền hồ sơ", "hộ chiếu", "làm hộ chiếu",
        "giấy tờ", "làm giấy tờ", "công chứng", "dịch thuật", "dịch công chứng",
        "lý lịch tư pháp", "lý lịch", "tiền án tiền sự", "cccd", "cmnd", "căn cước",
        "chứng thực", "sao y", "hợp pháp hóa lãnh sự", "giấy khai sinh", "ảnh thẻ", "chụp ảnh",
        "書類", "書類作成", "パスポート", "旅券", "翻訳", "公証", "証明書", "無犯罪証明",
        "写真",
        "documents", "document fee", "paperwork", "passport", "passport fee", "translation",
        "notarization", "notarisation", "police clearance", "birth certificate",
        "criminal record", "photos",
    ),
    "visa": (
        "visa", "thị thực", "xin visa", "phí visa", "làm visa", "tư cách lưu trú",
        "giấy chứng nhận tư cách lưu trú", "thẻ lưu trú", "coe", "xin coe", "lãnh sự quán",
        "đại sứ quán",
        "ビザ", "査証", "在留資格", "認定証明書", "在留資格認定証明書", "ビザ申請",
        "visa fee", "visa application", "certificate of eligibility", "residence permit",
        "embassy fee", "consular fee",
    ),
    "travel": (
        "vé máy bay", "vmb", "tiền vé máy bay", "máy bay", "tiền vé", "vé đi nhật",
        "chuyến bay", "đi lại", "tiền đi lại", "tiền xe", "xe đưa đón", "đưa đón",
        "đưa đón sân bay", "ra sân bay", "xe khách", "di chuyển", "taxi", "vé tàu",
        "hành lý", "cước hành lý",
        "渡航費", "航空券", "こうくうけん", "とこうひ", "飛行機", "交通費", "旅費", "空港", "送迎",
        "航空運賃", "渡航費用",
        "flight", "flights", "air ticket", "airfare", "air fare", "plane ticket",
        "flight ticket", "airline ticket", "transport", "transportation", "travel",
        "travel cost", "bus fare", "airport transfer", "airport pickup", "luggage",
    ),
    "accommodation": (
        "ký túc xá", "ktx", "tiền ở", "tiền nhà", "nhà ở", "tiền phòng", "chỗ ở", "lưu trú",
        "tiền ăn", "tiền ăn ở", "ăn ở", "tiền trọ", "nhà trọ", "tiền điện nước", "tiền cơm",
        "寮費", "宿泊費", "家賃", "住居", "住居費", "食費", "寮", "宿舎", "光熱費",
        "dormitory", "dorm", "accommodation", "lodging", "rent", "housing", "boarding",
        "meals", "food", "room and board", "hostel", "hotel",
    ),
    "fund_contribution": (
        "quỹ hỗ trợ việc làm ngoài nước", "quỹ hỗ trợ việc làm", "quỹ hỗ trợ", "đóng quỹ",
        "tiền quỹ", "nộp quỹ", "quỹ htvlnn", "quỹ ht", "quỹ việc làm ngoài nước",
        "海外雇用支援基金", "基金", "雇用支援基金", "基金拠出金",
        "fund contribution", "support fund", "overseas employment support fund",
        "welfare fund", "employment support fund", "fund fee",
    ),
    "bribe": (
        "tiền lót tay", "lót tay", "bôi trơn", "tiền bôi trơn", "phong bì", "tiền phong bì",
        "tiền cảm ơn", "tiền chạy", "chạy việc", "chạy visa", "chạy đơn hàng", "hối lộ",
        "tiền trà nước", "quà cán bộ",
        "賄賂", "袖の下", "裏金", "謝礼金", "リベート", "キックバック",
        "bribe", "bribery", "kickback", "kick back", "under the table", "facilitation payment",
        "gift to officer", "tea money", "speed money",
    ),
    "penalty_bond": (
        "tiền phạt", "phạt hợp đồng", "phạt vi phạm", "phạt bỏ trốn", "tiền phạt bỏ trốn",
        "bồi thường", "tiền bồi thường", "cam kết bồi thường", "thế chấp", "tiền thế chấp",
        "sổ đỏ", "thế chấp sổ đỏ", "giữ sổ đỏ", "cam kết phạt",
        "違約金", "罰金", "損害賠償", "担保", "担保金", "失踪違約金",
        "penalty", "penalty fee", "penalty bond", "bond", "fine", "breach penalty",
        "absconding penalty", "collateral", "land title",
    ),
    "other": (
        "tiền tiêu vặt", "chi phí cá nhân", "mua sắm cá nhân", "mua vali", "đồ dùng cá nhân",
        "個人的な買い物", "お小遣い", "私物",
        "pocket money", "personal expenses", "personal shopping", "suitcase",
    ),
    BLOCK: (
        "phát sinh", "chi phí phát sinh", "tiền phát sinh", "quy định", "theo quy định", "quy đổi",
        "phí đào tạo",
        "học phí", "tiền đào tạo", "đào tạo", "phí trọn gói", "trọn gói", "tổng chi phí",
        "chi phí khác", "khoản khác", "phí khác", "hoàn tiền", "tiền hoàn lại",
        "研修費", "研修", "諸経費", "その他", "雑費",
        "training fee", "training", "tuition", "misc", "miscellaneous", "other fees", "total",
        "package fee", "refund",
    ),
}
# fmt: on
