"""Write our recruitment-cost questionnaire as an XLSForm workbook (KoboToolbox / ODK).

    python tools/build_questionnaire.py [OUT.xlsx]

The default output is fairpassage/surveys/forms/fairpassage_sdg1071.xlsx; the definition lives in
fairpassage/stats/questionnaire.py. A test checks that the committed workbook is up to date and
that pyxform converts it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fairpassage.stats.questionnaire import write_xlsform

DEFAULT = (
    Path(__file__).resolve().parent.parent / "fairpassage/surveys/forms/fairpassage_sdg1071.xlsx"
)

if __name__ == "__main__":
    print(write_xlsform(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
