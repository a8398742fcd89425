"""A referral travels between two installations: two databases, two sets of secrets, two key
pairs, the package carried as a file. The receiver files it as a case with only the consented
parts; a tampered package, or one from an unknown installation, is refused and stores nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fairpassage.cases.package import keypair_generate

ROOT = Path(__file__).resolve().parents[2]
FAIRPASSAGE = Path(sys.executable).with_name("fairpassage")

SENDER_SCRIPT = """
from fairpassage.cases import people
from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.models import Case
from fairpassage.cases.services import grievance_submit, note_add
from fairpassage.core import services
from fairpassage.core.models import Country, Organisation, OrganisationKind, Role, User
hanoi = Organisation.objects.create(name="Hanoi Centre", slug="hanoi", country=Country.VIET_NAM,
    kind=OrganisationKind.SUPPORT_ORGANISATION)
osaka = Organisation.objects.create(name="Osaka Union", slug="osaka", country=Country.JAPAN,
    kind=OrganisationKind.SUPPORT_ORGANISATION)
user = User.objects.create_user("vn-worker", password="x")
services.membership_set(actor=None, user=user, organisation=hanoi, role=Role.CASE_WORKER)
case, code, _ = grievance_submit(idempotency_key="two-installations-key-0001",
    where_now=WhereNow.VIET_NAM, categories=[Category.FEES_DEBT],
    stage=Stage.BEFORE_DEPARTURE, statement="Cong ty giu ho chieu C7654321",
    contact="+84 90 765 4321")
note_add(actor=user, case=case, body="Đã gọi lại cho người lao động.", language="vi")
consent = people.consent_record(actor=user, case=case, purpose="referral", method="oral",
    organisations=[osaka], parts=["statement", "notes"])
referral = people.referral_propose(actor=user, case=case, to_org=osaka, consent=consent,
    parts=["statement", "notes"])
print(referral.pk)
"""

RECEIVER_SCRIPT = """
from fairpassage.core import services
from fairpassage.core.models import Country, Organisation, OrganisationKind, Role, User
osaka = Organisation.objects.create(name="Osaka Union", slug="osaka", country=Country.JAPAN,
    kind=OrganisationKind.SUPPORT_ORGANISATION)
user = User.objects.create_user("jp-worker", password="x")
services.membership_set(actor=None, user=user, organisation=osaka, role=Role.CASE_WORKER)
"""

READ_SCRIPT = """
import json
from fairpassage.cases.models import Case
out = [{"org": c.organisation.slug, "statement": c.statement, "contact": c.contact,
        "notes": [n.body for n in c.notes.all()], "status": c.status,
        "timeline": [e.kind for e in c.timeline.all()]} for c in Case.objects.all()]
print(json.dumps(out, ensure_ascii=False))
"""


class Installation:
    def __init__(self, root: Path, name: str, keys: Any, peers: dict[str, Any]) -> None:
        var = root / name
        var.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env |= {
            "FAIRPASSAGE_ENV": "development",
            "FAIRPASSAGE_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
            "REFERRAL_INSTALLATION_ID": name,
            "REFERRAL_SIGNING_KEY": keys.signing_private_key,
            "REFERRAL_ENCRYPTION_KEY": keys.encryption_private_key,
            "REFERRAL_PEERS": json.dumps(peers),
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(FAIRPASSAGE), "--lang", "en", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def python(self, script: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


def test_a_referral_package_moves_between_two_installations(tmp_path: Path) -> None:
    hanoi_keys, osaka_keys, stranger_keys = (
        keypair_generate(),
        keypair_generate(),
        keypair_generate(),
    )

    def public(keys: Any) -> dict[str, str]:
        return {"signing": keys.signing_public_key, "encryption": keys.encryption_public_key}

    vn = Installation(tmp_path, "vn-hanoi", hanoi_keys, {"jp-osaka": public(osaka_keys)})
    jp = Installation(tmp_path, "jp-osaka", osaka_keys, {"vn-hanoi": public(hanoi_keys)})
    stranger = Installation(tmp_path, "vn-other", stranger_keys, {"jp-osaka": public(osaka_keys)})
    for installation in (vn, jp, stranger):
        installation.run("setup", "--no-demo")
    referral = vn.python(SENDER_SCRIPT).splitlines()[-1]
    jp.python(RECEIVER_SCRIPT)
    stranger.python(SENDER_SCRIPT)

    package = tmp_path / "referral.json"
    vn.run(
        "cases",
        "referral-export",
        referral,
        "--peer",
        "jp-osaka",
        "--user",
        "vn-worker",
        "--out",
        str(package),
    )
    data = package.read_bytes()
    assert b"C7654321" not in data and "Đã gọi".encode() not in data  # encrypted

    tampered = tmp_path / "tampered.json"
    envelope = json.loads(data)
    envelope["ciphertext"] = envelope["ciphertext"][:-8] + "AAAAAAA="
    tampered.write_text(json.dumps(envelope))
    refused = jp.run("cases", "referral-import", str(tampered), "--user", "jp-worker", check=False)
    assert refused.returncode == 2 and "[signature]" in refused.stderr
    other_package = tmp_path / "other.json"
    stranger.run(
        "cases",
        "referral-export",
        referral,
        "--peer",
        "jp-osaka",
        "--user",
        "vn-worker",
        "--out",
        str(other_package),
    )
    unknown = jp.run(
        "cases", "referral-import", str(other_package), "--user", "jp-worker", check=False
    )
    assert unknown.returncode == 2 and "sender" in unknown.stderr
    assert json.loads(jp.python(READ_SCRIPT).splitlines()[-1]) == []

    first = jp.run("cases", "referral-import", str(package), "--user", "jp-worker")
    again = jp.run("cases", "referral-import", str(package), "--user", "jp-worker")
    assert json.loads(first.stdout)["case"] == json.loads(again.stdout)["case"]
    [received] = json.loads(jp.python(READ_SCRIPT).splitlines()[-1])
    assert received["org"] == "osaka"
    assert received["statement"] == "Cong ty giu ho chieu C7654321"
    assert received["contact"] == ""  # contact details were not consented
    assert received["notes"] == ["Đã gọi lại cho người lao động."]
    assert "referral.imported" in received["timeline"]
    [sent] = json.loads(vn.python(READ_SCRIPT).splitlines()[-1])
    assert "referral.exported" in sent["timeline"]
