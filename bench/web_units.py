"""What matching a report's issuing body to the unit tree costs per upload, with a large tree.

    python bench/web_units.py [--units 3000] [--n 200]

Builds a SQLite site (a temporary NIANBAO_DATA) with one province, `--units` units below it (cities,
districts, street offices; several street offices share a name in different cities), then times
`ingest.resolve_unit` — what every processed upload runs — for `--n` printed names (exact names,
names with their ancestors, rule variants, ambiguous and unknown ones), as an administrator's upload
(the whole tree is the scope) and as a reviewer's of one city. Prints CPU ms per call (this process:
Python and SQLite) and the queries per call.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    os.environ["NIANBAO_DATA"] = tempfile.mkdtemp(prefix="nianbao-bench-units-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nianbao.web.settings")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.contrib.auth.models import User

    from nianbao.corpus.units import normalise_unit
    from nianbao.web import ingest
    from nianbao.web.models import Profile, Unit, Upload
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    prov = Unit.objects.create(name="某某省", key="某某省", level="省")
    cities, names = [], []
    n_city = max(1, args.units // 300)
    streets = [f"{c}{d}路街道办事处" for c in "东西南北中新老先青和" for d in "一二三四五六七八九十"]
    made = 1
    for i in range(n_city):
        city = Unit.objects.create(name=f"第{i}市", key=f"第{i}市", parent=prov, level="地级市")
        cities.append(city)
        made += 1
        for j in range(10):
            if made >= args.units:
                break
            dist = Unit.objects.create(name=f"第{j}区", key=f"第{j}区", parent=city, level="区")
            made += 1
            for k in range(29):
                if made >= args.units:
                    break
                name = streets[(j * 29 + k) % len(streets)]
                Unit.objects.create(name=name, key=normalise_unit(name), parent=dist, level="街道")
                names.append((city.name, dist.name, name))
                made += 1
    total = Unit.objects.count()
    admin = User.objects.create_superuser("admin", password="x")
    reviewer = User.objects.create_user("rev", password="x")
    Profile.objects.create(user=reviewer, role=Profile.REVIEWER, unit=cities[0], display_name="rev")
    printed = []
    for _ in range(args.n):
        c, d, s = rng.choice(names)
        printed.append(rng.choice([s, d + s, c + d + s, s.replace("街道办事处", "街道"), "不存在的单位办事处"]))
    for who, user in (("administrator (whole tree)", admin), ("reviewer of one city", reviewer)):
        up = Upload.objects.create(user=user)
        with CaptureQueriesContext(connection) as q:
            t0 = time.process_time()
            settled = 0
            for org in printed:
                unit, why = ingest.resolve_unit(up, org)
                settled += unit is not None
            dt = time.process_time() - t0
        print(f"{who}: {total} units, {args.n} names, {1000 * dt / args.n:.2f} ms of CPU and "
              f"{len(q.captured_queries) / args.n:.1f} queries per upload ({settled} settled)")


if __name__ == "__main__":
    main()
