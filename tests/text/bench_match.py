"""Latency of `Index.search` over 10,000 invented names (not a test; run it by hand).

.venv/bin/python -m tests.text.bench_match [COUNT]
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from fairpassage.text.match import Candidate, Index
from fairpassage.text.normalise import strip_diacritics

VN = str.split(
    "Nhân lực Việt Nhật Sông Hồng Đông Á Ánh Dương Sao Mai Bình Minh Đại Dương Thăng Long Phúc "
    "Lộc Hưng Thịnh Kim Long Trường Sơn Hoàng Gia Cửu Long Vạn Xuân Miền Trung Quốc tế Hợp tác "
    "Xuất khẩu Lao động Đào tạo Thương mại Dịch vụ Phát triển Tâm Đức Tín Hải Phòng An Phú Hòa "
    "Bắc Nam Thành Công Tiến Đạt Hà Nội Sài Gòn Tân Kỹ thuật Giáo dục Cung ứng Kết nối"
)
VN_FORMS = ["Công ty Cổ phần", "Công ty TNHH", "Công ty TNHH MTV", "Tổng công ty", "CTCP"]
JA = str.split(
    "さくら 富士 アジア 交流 技能 実習 国際 みらい グローバル 九州 北海道 人材 サポート 東海 "
    "関西 中部 ひまわり つばさ あおぞら ベトナム キャリア ブリッジ リンク 協和 産業 振興 ケア"
)
JA_FORMS = ["事業協同組合", "協同組合", "株式会社", "有限会社", "一般社団法人"]


def make(count: int, rng: random.Random) -> list[Candidate]:
    out = []
    for i in range(count):
        if i % 2:
            words = " ".join(rng.sample(VN, rng.randint(3, 6)))
            name = f"{rng.choice(VN_FORMS)} {words}"
            licence = f"{i}/LĐTBXH-GP"
        else:
            words = "".join(rng.sample(JA, rng.randint(2, 4)))
            form = rng.choice(JA_FORMS)
            name = f"{form}{words}" if form.startswith("株") else f"{words}{form}"
            licence = f"許{1811000000 + i}"
        out.append(Candidate(f"C{i:06d}", (name,), (licence,)))
    return out


def deform(candidate: Candidate, rng: random.Random) -> str:
    name = candidate.names[0]
    kind = rng.randrange(4)
    if kind == 0:
        return strip_diacritics(name)
    if kind == 1:
        words = name.split()
        return " ".join(words[-3:]) if len(words) > 3 else name[2:]
    if kind == 2 and len(name) > 6:
        i = rng.randrange(2, len(name) - 1)
        return name[:i] + name[i + 1 :]
    return candidate.licences[0].replace("/", " ")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(7)
    candidates = make(count, rng)
    start = time.perf_counter()
    index = Index.build(candidates)
    built = time.perf_counter() - start
    queries = [deform(rng.choice(candidates), rng) for _ in range(500)]
    timings = []
    for query in queries:
        start = time.perf_counter()
        index.search(query)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"{count} candidates, index built in {built:.2f} s; {len(queries)} queries: "
        f"median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * len(timings))]:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
