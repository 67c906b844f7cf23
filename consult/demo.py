"""The demo consultation: Timișoara's ECoC-SME action plan, with invented people.

The project, cities, policy instrument, dates and questions are the project's public
facts; every person and e-mail address here is invented.
"""
from datetime import timedelta

from consult.accounts.models import ROLE_MODERATOR, ROLE_STAKEHOLDER, ROLE_TEAM, StakeholderGroup, User
from consult.accounts.operations import add_member, create_user, find_user_by_email
from consult.core import mail
from consult.core.models import utcnow
from consult.extensions import db
from consult.plans import operations as ops
from consult.plans.models import Plan

DEMO_SLUG = "ecoc-sme-timisoara"

#: (e-mail, name, password, role on the plan or "admin", stakeholder group)
PEOPLE = (
    ("admin@consult.example", "Elena Vlad", "admin-demo-2021", "admin", None),
    ("ioana.marinescu@consult.example", "Ioana Marinescu", "team-demo-2021", ROLE_TEAM, "Local authority"),
    ("radu.petrescu@consult.example", "Radu Petrescu", "moderator-demo-2021", ROLE_MODERATOR, None),
    ("mihai.popa@consult.example", "Mihai Popa", "stakeholder-demo-2021", ROLE_STAKEHOLDER, "Business: IT&C"),
    ("ana.dobre@consult.example", "Ana Dobre", "stakeholder-demo-2021", ROLE_STAKEHOLDER, "Education and research"),
    ("sorin.ilie@consult.example", "Sorin Ilie", "stakeholder-demo-2021", ROLE_STAKEHOLDER, "ECoC association"),
    ("daria.stan@consult.example", "Daria Stan", "stakeholder-demo-2021", ROLE_STAKEHOLDER, "Youth organisation"),
    ("cristina.lupu@consult.example", "Cristina Lupu", "stakeholder-demo-2021", ROLE_STAKEHOLDER,
     "Business: cultural and creative"),
    ("victor.nagy@consult.example", "Victor Nagy", "stakeholder-demo-2021", ROLE_STAKEHOLDER,
     "Business: tourism"),
)

PLAN = {
    "title": "ECoC-SME action plan — Timișoara",
    "summary": "How Timișoara will use the European Capital of Culture and its legacy to help start-ups and "
               "SMEs in the cultural and creative sector grow and innovate.",
    "organisation": "Municipality of Timișoara",
    "project": "Interreg Europe PGI06047 ECoC-SME",
    "policy_instrument": "Integrated Urban Development Strategy of the Timișoara Growth Pole (SIDU)",
    "language": "en",
    "timezone": "Europe/Bucharest",
    "visibility": "public",
}

GENERAL = {
    "summary": """\
After the first year of the ECoC-SME project, Timișoara is turning what it learnt together with local
stakeholders into a local action plan. The plan enriches an existing policy instrument so that the
city's SME ecosystem becomes more **vibrant and diverse**, aligned with the European Capital of Culture
mega-event and its legacy.

The actions build on the problems and solutions identified with local stakeholders in the seven
Local Learning Labs held so far, and on good practices found with the project partners in
Leeuwarden, Rijeka, Kaunas, Matera and Joensuu. They will be piloted and monitored for twelve months,
from 01.08.2021 to 31.07.2022.""",
    "policy_context": """\
The policy instrument addressed is the **Integrated Urban Development Strategy of the Timișoara Growth
Pole (SIDU)**. Its measures for the local economy do not yet name the cultural and creative sector,
nor the opportunity that the European Capital of Culture title brings for start-ups and SMEs.

This plan proposes actions that, once piloted, can be written into the strategy's next revision.""",
}

A1 = {
    "title": "Creative business incubation linked to the ECoC programme",
    "background": """\
At the Local Learning Labs, participants said that many cultural projects started for the European
Capital of Culture stop when their grant ends, because their teams lack business skills.
Partners showed incubation schemes that pair creative teams with mentors from business.""",
    "description": """\
Run a 6-month incubation programme for two cohorts of cultural and creative start-ups:

1. an open call for teams with a product or service linked to the ECoC programme;
2. mentoring by experienced entrepreneurs and by the ECoC association's producers;
3. workshops on business models, pricing, intellectual property and fundraising;
4. a demo day where teams present to investors, sponsors and public buyers.""",
    "players": """\
- Municipality of Timișoara — coordination and monitoring
- Timișoara European Capital of Culture association — links to the cultural programme
- Universities and co-working hubs — mentors and space
- Chamber of Commerce — contacts with established companies""",
    "timeframe": "Pilot from 01.08.2021 to 31.07.2022, with two cohorts of six months each.",
    "costs": "About 40,000 EUR: mentors' fees, workshops, the demo days and communication.",
    "funding": "Municipal budget; sponsorship from local companies; later, the Regional Operational "
               "Programme 2021–2027.",
}

A2_V1 = {
    "title": "Matchmaking between the creative sector and other industries",
    "background": """\
Cross-sector partnerships are rare in Timișoara: creative businesses and IT&C or tourism companies
seldom work together, although both said at the Labs that they would benefit.""",
    "description": """\
Organise four matchmaking events a year where creative professionals meet companies from IT&C,
tourism and the social economy, and publish an online directory of creative service providers.""",
    "players": "Municipality of Timișoara; business associations; the ECoC association.",
    "timeframe": "Four events between 01.08.2021 and 31.07.2022.",
    "costs": "About 12,000 EUR for venues, moderation and the directory.",
    "funding": "Municipal budget.",
}

A2_V2 = {
    "title": "Cross-sector innovation vouchers for creative collaborations",
    "background": """\
Cross-sector partnerships are rare in Timișoara: creative businesses and IT&C or tourism companies
seldom work together, although both said at the Labs that they would benefit.
In the consultation on version 1, stakeholders said that **events alone do not create partnerships**:
companies need a small incentive to try a first joint project.""",
    "description": """\
Offer *innovation vouchers* of up to 5,000 EUR that an SME from IT&C, tourism or the social economy
spends on a service from a cultural or creative business, for a joint project with a visible result.

1. two calls a year, with a simple two-page application;
2. a jury with members from the municipality, the ECoC association and business associations;
3. two matchmaking events a year to help applicants find partners;
4. every funded project is presented at the ECoC programme's events.""",
    "players": """\
- Municipality of Timișoara — calls, jury, payments
- Business associations (IT&C, tourism, social economy) — spreading the calls
- Timișoara European Capital of Culture association — showcasing results""",
    "timeframe": "First call in September 2021, second in February 2022; results presented by 31.07.2022.",
    "costs": "About 60,000 EUR: ten vouchers and the two matchmaking events.",
    "funding": "Municipal budget for the pilot; the Regional Operational Programme 2021–2027 afterwards.",
}

A3 = {
    "title": "Resilience support for cultural and creative SMEs after COVID-19",
    "background": """\
At the October 2020 Local Learning Lab, participants described how the pandemic hit the local cultural
and creative sector and which new initiatives appeared in response. They asked how those initiatives
can stay sustainable after the pandemic.""",
    "description": """\
Set up a help desk and a small grants scheme that help cultural and creative SMEs move part of their
activity online, find new audiences and share equipment and spaces.""",
    "players": "Municipality of Timișoara; the ECoC association; local cultural operators' networks.",
    "timeframe": "From 01.08.2021 to 31.07.2022.",
    "costs": "About 25,000 EUR.",
    "funding": "Municipal budget and sponsorship.",
}


TAGS = ("funding", "governance", "partners", "timeline", "out of scope")

#: Feedback on version 1 (closed): (key, author e-mail or meeting table, stance, text, tags, answer)
#: where an answer is (disposition, text, addressed in version 2?).
V1_FEEDBACK = (
    ("A1", "mihai.popa@consult.example", "suggestion",
     "Please include **IT&C mentors**: many creative teams need help with digital products, not only with "
     "business plans.", ("partners",),
     ("noted", "We will invite IT&C mentors through the Chamber of Commerce; the action text stays as it is.",
      False)),
    ("A1", "ana.dobre@consult.example", "support",
     "The universities can host the demo days, and students could join the teams as interns.", ("partners",),
     None),
    ("A1", "sorin.ilie@consult.example", "question",
     "How will the teams be selected? Will the producers of the ECoC programme sit on the jury?", ("governance",),
     ("accepted", "Yes: the call will publish its criteria, and the jury will include two producers of the "
                  "ECoC programme.", False)),
    ("A2", "cristina.lupu@consult.example", "concern",
     "Matchmaking events alone rarely lead to contracts. Companies need a small incentive to try a first "
     "project together.", ("funding",),
     ("accepted", "A2 now offers innovation vouchers for a first joint project.", True)),
    ("A2", "victor.nagy@consult.example", "suggestion",
     "Include tourism operators and the hospitality sector when looking for partners.", ("partners",),
     ("accepted", "Tourism companies can now apply for the vouchers.", True)),
    ("A2", "daria.stan@consult.example", "question",
     "Can youth organisations take part as partners?", (), None),
    ("A2", "meeting:Online Local Learning Lab, 17 January 2021", "concern",
     "Participants asked for support for SMEs hit by the pandemic, not only for new partnerships.", ("funding",),
     ("accepted", "The new action A3 supports cultural and creative SMEs recovering from COVID-19.", True)),
)
V1_REPLY = ("A1", 1, "cristina.lupu@consult.example", "Interns would help a lot in small studios like ours.")
V2_FEEDBACK = (
    ("A2", "mihai.popa@consult.example", "support",
     "Vouchers are a good idea; 5,000 EUR is enough for a first prototype."),
    ("A3", "daria.stan@consult.example", "suggestion",
     "Add a shared equipment library that small venues and youth groups can borrow from."),
)


def _backdated_comment(plan, version, key, author, stance, text, when, parent=None, attribution=None, group=None):
    """A comment on a version whose window has closed: written through the models, dated in the window."""
    from consult.comments.models import Comment
    from consult.comments.operations import prepare_body

    revision = next(r for r in version.revisions if r.key == key)
    body, html = prepare_body(text)
    membership = plan.membership_of(author) if author else None
    comment = Comment(plan_id=plan.id, version_id=version.id, action_id=revision.action_id, revision_id=revision.id,
                      author_id=author.id if author else None, stance=None if parent else stance, body_md=body,
                      body_html=html, created_at=when, source="meeting" if attribution else "online",
                      attribution=attribution, group_id=group or (membership.group_id if membership else None))
    if parent is not None:
        comment.parent_id = parent.id
        comment.root_id = parent.root_id or parent.id
        comment.depth = parent.depth + 1
        parent.reply_count += 1
    db.session.add(comment)
    db.session.flush()
    return comment


def _seed_feedback(plan, team, moderator, users, v1, v2, now):
    from consult.comments.operations import post_comment
    from consult.moderation import operations as mod_ops

    for version in (v1, v2):
        db.session.expire(version, ["revisions"])  # actions were added by id, not through the collection
    tags = {name: mod_ops.add_tag(plan, team, name) for name in TAGS}
    roots = []
    for index, (key, who, stance, text, tag_names, answer) in enumerate(V1_FEEDBACK):
        when = v1.opens_at + timedelta(days=2, hours=3 * index)
        if who.startswith("meeting:"):
            comment = _backdated_comment(plan, v1, key, None, stance, text, when, attribution=who[len("meeting:"):])
        else:
            comment = _backdated_comment(plan, v1, key, users[who], stance, text, when)
        roots.append(comment)
        for name in tag_names:
            mod_ops.tag_comments(plan, moderator, [comment], tags[name])
        if answer:
            disposition, reply, addressed = answer
            mod_ops.record_response(plan, team, comment, disposition, reply, v2 if addressed else None)
    key, root_index, who, text = V1_REPLY
    _backdated_comment(plan, v1, key, users[who], None, text, roots[root_index].created_at + timedelta(hours=5),
                       parent=roots[root_index])
    for key, who, stance, text in V2_FEEDBACK:
        revision = next(r for r in v2.revisions if r.key == key)
        post_comment(plan, v2, revision, users[who], text, stance)


def _ensure_user(email, name, password, is_admin=False) -> tuple[User, bool]:
    user = find_user_by_email(email)
    if user is not None:
        return user, False
    return create_user(email, name, password, is_admin=is_admin), True


def seed_demo(*, only_if_empty: bool = False) -> str:
    """Create the demo people and plan if they are missing; return what was done. Nobody is
    e-mailed: the answers and versions it records would otherwise notify its invented people."""
    with mail.suppressed():
        return _seed_demo(only_if_empty)


def _seed_demo(only_if_empty: bool) -> str:
    if only_if_empty and db.session.scalar(db.select(Plan.id).limit(1)) is not None:
        return "The database already holds plans; the demo was not loaded."
    lines = []
    users = {}
    for email, name, password, role, _group in PEOPLE:
        user, created = _ensure_user(email, name, password, is_admin=(role == "admin"))
        users[email] = user
        lines.append(f"  {role:<12} {email:<36} {password if created else '(existing account)'}")

    plan = db.session.scalar(db.select(Plan).where(Plan.slug == DEMO_SLUG))
    if plan is not None:
        return "The demo plan already exists; nothing changed.\n" + "\n".join(lines)

    team = users[PEOPLE[1][0]]
    plan = ops.create_plan(team, DEMO_SLUG, **PLAN)
    groups = {g.name: g.id for g in db.session.scalars(
        db.select(StakeholderGroup).where(StakeholderGroup.plan_id == plan.id))}
    for email, _name, _password, role, group in PEOPLE:
        if role in ("admin", ROLE_TEAM):
            continue
        add_member(plan.id, users[email], role, groups.get(group))
    membership = plan.membership_of(team)
    membership.group_id = groups["Local authority"]

    now = utcnow()
    draft = ops.current_draft(plan)
    ops.update_general_part(draft, **GENERAL)
    ops.add_action(draft, **A1)
    ops.add_action(draft, **A2_V1)
    # The draft of the actions is dated as the January 2021 working draft would be in a live run:
    # its consultation is over, the revised version is open.
    ops.publish_version(
        draft, team, "Working draft with two actions, sent to stakeholders before the online Local Learning Lab.",
        opens_at=now - timedelta(days=45), closes_at=now - timedelta(days=20), now=now - timedelta(days=45))

    draft = ops.start_draft(plan, team)
    a2 = next(r for r in draft.revisions if r.key == "A2")
    ops.update_action(a2, **A2_V2)
    ops.add_action(draft, **A3)
    ops.publish_version(draft, team, """\
Revised after the consultation on version 1:

- **A2** is rewritten: matchmaking events alone were judged too weak, so the action now offers
  innovation vouchers for joint projects, with two matchmaking events to find partners.
- **A3** is new: support for cultural and creative SMEs to recover from the COVID-19 pandemic,
  as asked at the October 2020 Local Learning Lab.""",
        opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=90), now=now - timedelta(days=2))
    db.session.flush()
    v1, v2 = plan.versions
    moderator = users[PEOPLE[2][0]]
    _seed_feedback(plan, team, moderator, users, v1, v2, now)
    from consult.moderation.models import PublishedReport

    db.session.add(PublishedReport(version_id=v1.id, published_by_id=team.id, published_at=now - timedelta(days=5)))
    db.session.flush()
    return ("Demo consultation loaded: /plans/ecoc-sme-timisoara (versions 1 and 2; version 2 open for "
            "comments for 90 days).\nDemo accounts (e-mail, password):\n" + "\n".join(lines))
