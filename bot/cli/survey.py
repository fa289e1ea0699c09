"""``bulletins survey``: launch a survey by hand and follow the campaigns.

The group reads the ``Context`` object of ``bot.cli`` (settings and services, built on
demand) from click's context, so this module does not import ``bot.cli.main``.
"""

from __future__ import annotations

import click

from bulletins.dates import format_moment


@click.group()
def survey() -> None:
    """Launch surveys and see how their campaigns are going."""


@survey.command("launch")
@click.argument("survey_id", metavar="ID")
@click.option(
    "--cohort", metavar="NAME", help="Only this cohort (default: the active one, or all)."
)
@click.pass_obj
def survey_launch(obj, survey_id: str, cohort: str | None) -> None:
    """Launch survey ID now: invite its audience by direct message, once per cohort."""
    services = obj.services()
    from evaluation.campaigns import counts, find_cohort, find_survey, launch

    chosen = find_survey(services.settings, survey_id)
    now = services.clock()
    with services.sessions.begin() as session:
        campaign = launch(
            session,
            chosen,
            cohort=find_cohort(session, cohort) if cohort else None,
            now=now,
            calendar=services.calendar,
            settings=services.settings,
        )
        invited = counts(session, campaign).invited
        key, closes = campaign.key, services.calendar.local(campaign.closes_at)
    click.echo(
        f"Launched {key}: {invited} people invited; open until "
        f"{format_moment(closes, 'en', 'yyyy-MM-dd HH:mm')}."
    )


@survey.command("list")
@click.pass_obj
def survey_list(obj) -> None:
    """List the surveys available and every campaign with how many people finished."""
    services = obj.services()
    from evaluation.campaigns import available_surveys, campaigns, counts, is_open

    settings = services.settings
    click.echo("Surveys:")
    for survey_id, item in sorted(available_surveys(settings).items()):
        kind = "anonymous" if item.anonymous else "named"
        when = "monthly" if item.recurrence else "by hand"
        title = item.title.get(settings.locale)
        pages = "1 page" if len(item.pages) == 1 else f"{len(item.pages)} pages"
        click.echo(f"  {survey_id}  {title} ({kind}, {pages}, {when})")
    now = services.clock()
    with services.sessions() as session:
        found = campaigns(session)
        click.echo("Campaigns:" if found else "No campaign yet.")
        for campaign in found:
            state = "open until" if is_open(campaign, now) else "closed on"
            closes = services.calendar.local(campaign.closes_at)
            click.echo(
                f"  {campaign.key}  {counts(session, campaign)}; {state} "
                f"{format_moment(closes, 'en', 'yyyy-MM-dd HH:mm')}"
            )
