"""Command-line tools: create-user, seed-demo."""
import click
from flask import Flask

from consult.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True, help="Display name.")
    @click.option("--password", required=True, help="At least 10 characters.")
    @click.option("--admin", is_flag=True, help="Make the user a site admin.")
    def create_user_command(email, name, password, admin):
        """Create a user account."""
        from consult.accounts.models import PASSWORD_MIN_LENGTH
        from consult.accounts.operations import create_user
        from consult.core.errors import OperationError

        if len(password) < PASSWORD_MIN_LENGTH:
            raise click.ClickException(f"The password must have at least {PASSWORD_MIN_LENGTH} characters.")
        if not name.strip():
            raise click.ClickException("Give the person's name (it is shown next to what they write).")
        if "@" not in email:
            raise click.ClickException("That does not look like an e-mail address.")
        try:
            user = create_user(email, name, password, is_admin=admin)
        except OperationError as error:
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Created {'admin ' if admin else ''}user {user.email} (id {user.id}).")

    @app.cli.command("issue-token")
    @click.argument("email")
    @click.option("--name", default="command line", help="What the token is for.")
    def issue_token_command(email, name):
        """Print a new personal API token for a user (only its hash is stored)."""
        from consult.accounts.operations import find_user_by_email, issue_token

        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with the e-mail address {email}.")
        token, _record = issue_token(user, name)
        db.session.commit()
        click.echo(token)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when the database has no plans.")
    def seed_demo_command(if_empty):
        """Load the demo consultation (running it again changes nothing)."""
        from consult.demo import seed_demo

        report = seed_demo(only_if_empty=if_empty)
        db.session.commit()
        click.echo(report)
