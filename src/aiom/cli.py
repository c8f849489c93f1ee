"""The `aiom` console script: Django's management commands plus the project's own.

`aiom migrate`, `aiom createsuperuser`, `aiom serve`, `aiom demo`, `aiom token create`,
`aiom audit verify`, ... all run through Django's command machinery, so each project
command is a management command inside the app it belongs to.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "aiom"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
