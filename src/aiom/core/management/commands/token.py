"""`aiom token create USERNAME` (prints the token once), `aiom token list`, `aiom token revoke`."""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aiom.core import tokens
from aiom.core.errors import InvalidInput
from aiom.core.models import ApiToken


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token and print it (shown only once).")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--scopes",
            default="read,write",
            help=(
                "comma-separated among read,write,admin; only a token with admin acts with "
                "its person's administrator role"
            ),
        )
        create.add_argument("--expires-days", type=int, default=None)
        listing = sub.add_parser("list", help="List tokens (never their secret).")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named '{options['username']}'")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            _, plaintext = tokens.create_token(
                actor=None,
                user=user,
                name=options["name"],
                scopes=scopes,
                expires_in_days=options["expires_days"],
            )
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(plaintext)

    def do_list(self, options: dict[str, Any]) -> None:
        found = ApiToken.objects.select_related("user").order_by("created_at")
        if options["username"]:
            found = found.filter(user__username=options["username"])
        for t in found:
            state = "usable" if t.is_usable() else "revoked/expired"
            self.stdout.write(
                f"{t.prefix}…  {t.user.username:<16} {t.name:<20} {','.join(t.scopes):<16} "
                f"expires {t.expires_at or 'never'}  last used {t.last_used_at or 'never'}  {state}"
            )

    def do_revoke(self, options: dict[str, Any]) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"]))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} tokens have the prefix '{options['prefix']}'")
        tokens.revoke_token(actor=None, token=matches[0])
        self.stdout.write(f"revoked {matches[0]}")
