"""Command-line tools: `flask create-organizer`, `flask demo seed`, `flask audit verify`,
`flask engagement reconcile`, `flask ranking run`, `flask ranking verify`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import clock
from app.audit.service import record_audit, verify_audit_log
from app.auth.rules import InvalidIdentifier, fold, normalize_email, password_problems
from app.demo.engagement import CITIZEN_COUNT, CITIZEN_EMAIL
from app.demo.seed import ACCOUNTS, CITIZENS, DEMO_PASSWORD, database_is_empty, seed_demo
from models import RoleGrant, RoleName, User, db

demo_cli = AppGroup("demo", help="The Vietnamese demo contest.")
audit_cli = AppGroup("audit", help="The hash-chained audit log.")
engagement_cli = AppGroup("engagement", help="Likes, comments and views.")
ranking_cli = AppGroup("ranking", help="Stored ranking runs of the expert judging.")


@click.command("create-organizer")
@click.option("--email", prompt=True, help="The organizer's email (the login).")
@click.option("--name", "full_name", prompt="Full name", help="The organizer's full name.")
@click.password_option(help="At least 8 characters, not a common password.")
def create_organizer(email: str, full_name: str, password: str) -> None:
    """Create a verified organizer account, or give an existing account the organizer role."""
    try:
        email = normalize_email(email)
    except InvalidIdentifier as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from exc
    problems = password_problems(
        password,
        min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        personal=(full_name, email.split("@")[0]),
    )
    if problems:
        raise click.BadParameter(", ".join(problems), param_hint="--password")
    user = db.session.scalar(select(User).where(User.email == email))
    now = clock.now()
    if user is None:
        user = User(
            full_name=full_name,
            name_folded=fold(full_name),
            email=email,
            password_hash=generate_password_hash(password),
            verified_at=now,
            verified_via="cli",
            created_at=now,
        )
        db.session.add(user)
        db.session.flush()
    if not user.is_organizer:
        db.session.add(RoleGrant(user=user, role=RoleName.ORGANIZER, granted_at=now))
        db.session.flush()
        record_audit(
            None,
            "role.grant",
            "user",
            user.id,
            after={"role": "organizer", "unit_id": None},
            actor_label="cli:create-organizer",
        )
    db.session.commit()
    click.echo(f"Organizer ready: {email}")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no account yet.")
@click.option("--recenter", is_flag=True, help="Move the stage windows back around today.")
def demo_seed(if_empty: bool, recenter: bool) -> None:
    """Create the Vietnamese demo contest (idempotent)."""
    if if_empty and not database_is_empty():
        click.echo("The database already has data; demo seed skipped.")
        return
    added = seed_demo(recenter=recenter)
    click.echo(
        f"Demo contest ready: {added['units']} units, {added['accounts']} accounts, "
        f"{added['contests']} contests, {added.get('initiatives', 0)} initiatives added."
    )
    if added.get("citizens") or added.get("likes"):
        click.echo(
            f"Engagement: {added.get('citizens', 0):,} citizens, {added.get('likes', 0):,} likes "
            f"({added.get('unlikes', 0):,} taken back), {added.get('comments', 0):,} comments, "
            f"{added.get('views', 0):,} daily views, {added.get('external', 0)} external snapshots added."
        )
    if added.get("reviews") or added.get("runs"):
        click.echo(
            f"Judging: {added.get('reviews', 0)} reviews ({added.get('drafts', 0)} drafts), "
            f"{added.get('conflicts', 0)} declared conflict, {added.get('runs', 0)} ranking run added."
        )


@demo_cli.command("logins")
def demo_logins() -> None:
    """Print the demo accounts."""
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD})")
    click.echo("  organizer (Ban tổ chức):         btc@demo.vn")
    click.echo(
        "  unit representatives (đơn vị):  "
        + ", ".join(a.email for a in ACCOUNTS if a.role == RoleName.UNIT_REP)
    )
    click.echo(
        "  judges (Ban giám khảo):          "
        + ", ".join(a.email for a in ACCOUNTS if a.role == RoleName.JUDGE)
    )
    click.echo(f"  verified citizens (người dân):   dan1@demo.vn … dan{len(CITIZENS)}@demo.vn")
    click.echo(
        f"  {CITIZEN_COUNT:,} more citizens who liked and commented: "
        f"{CITIZEN_EMAIL.format(1)} … {CITIZEN_EMAIL.format(CITIZEN_COUNT)}"
    )


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exit 1 and name the first broken row when it does not hold."""
    checked, broken = verify_audit_log()
    if broken is None:
        click.echo(f"Audit log intact: {checked} rows checked.")
        return
    what = (
        "its content was changed" if broken.reason == "hash" else "a row before it is missing or was changed"
    )
    click.echo(f"Audit log BROKEN at row {broken.row_id}: {what}.", err=True)
    raise SystemExit(1)


@engagement_cli.command("reconcile")
@click.option("--check", is_flag=True, help="Only report drift; change nothing (exit 1 if any).")
def engagement_reconcile(check: bool) -> None:
    """Recompute every initiative's like, comment and view counters and fix any drift."""
    from app.engagement.service import reconcile_counters

    drifts, event_drifts = reconcile_counters(fix=not check)
    for d in drifts:
        click.echo(f"initiative {d.initiative_id}: {d.counter} was {d.stored}, counted {d.actual}")
    for d in event_drifts:
        click.echo(
            f"initiative {d.initiative_id}: likes minus unlikes in the events {d.stored}, "
            f"like rows {d.actual}"
        )
    if not drifts and not event_drifts:
        click.echo("No drift: every counter equals its rows and events.")
        return
    if drifts and not check:
        click.echo(f"Fixed {len(drifts)} counter(s).")
    if check or event_drifts:
        raise SystemExit(1)


@ranking_cli.command("run")
@click.option("--contest", "contest_id", type=int, help="The contest's id (default: the current contest).")
def ranking_run(contest_id: int | None) -> None:
    """Rank now and store the run (not published), as the system; prints its id and digest."""
    from app.contest.service import current_contest
    from app.judging import service
    from models import Contest

    contest = db.session.get(Contest, contest_id) if contest_id else current_contest()
    if contest is None:
        click.echo("No such contest." if contest_id else "No contest has been set up yet.", err=True)
        raise SystemExit(1)
    try:
        run = service.run_ranking(None, contest)
    except service.JudgingProblem as exc:
        click.echo(f"Ranking refused: {exc.code} {exc.fields or ''}".rstrip(), err=True)
        raise SystemExit(1) from exc
    click.echo(
        f"Run {run.id} stored for contest {contest.id}: {run.entries} initiatives, "
        f"{run.finalists} finalists, digest {run.digest}"
    )


@ranking_cli.command("verify")
@click.argument("run_id", type=int)
def ranking_verify(run_id: int) -> None:
    """Recompute a stored run and compare snapshot, digest and lines; exit 1 and list what differs."""
    from app.judging import service
    from models import RankingRun

    run = db.session.get(RankingRun, run_id)
    if run is None:
        click.echo(f"No ranking run {run_id}.", err=True)
        raise SystemExit(1)
    report = service.verify_run(run)
    if report.ok:
        click.echo(f"Run {run.id}: OK, recomputed and identical. Digest {run.digest}")
        return
    click.echo(f"Run {run.id} does NOT verify ({len(report.problems)} problem(s)):", err=True)
    for problem in report.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


def init_app(app) -> None:
    app.cli.add_command(create_organizer)
    app.cli.add_command(demo_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(engagement_cli)
    app.cli.add_command(ranking_cli)
