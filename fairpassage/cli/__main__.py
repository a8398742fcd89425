"""``python -m fairpassage.cli``: the same as the ``fairpassage`` command."""

from fairpassage.cli import main

raise SystemExit(main())
