"""Printed by `make run`: where the platform is and who can log in."""

import os
import sys

import django


def main(url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
    django.setup()
    from canal.accounts.demo import DEMO_PASSWORD, USERS

    print(f"\n  Canal is starting at {url}  (API docs: {url}api/v1/docs)\n")
    print(f"  Demo logins (password for all: {DEMO_PASSWORD})")
    for email, name, organisation, roles, _language in USERS:
        print(f"    {email:<30} {name:<20} {organisation:<11} {', '.join(roles)}")
    print("\n  Stop with Ctrl+C.\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/")
