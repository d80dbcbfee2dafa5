"""The demo workspace's people, who you can be in the sandbox, and the cohort's channel.

Eleven colleagues across six time zones: a programme admin, four reverse-mentors and four senior
mentees (paired by `sandbox.demo`), a mentor still waiting for a partner, and someone not yet enrolled;
and the rest of the cohort, six more pairs in the background (`COHORT_PAIRS`).
"""

from __future__ import annotations

from sandbox.workspace import Channel, Member, Workspace

ADMIN_ID = "U0AMARA"
# The cohort's private channel, the bot invited: `/mentor admin peers C0MENTORS` names it for the monthly post.
CHANNELS: tuple[Channel, ...] = (Channel(id="C0MENTORS", name="reverse-mentors", is_private=True),)

PEOPLE: tuple[Member, ...] = (
    Member(id=ADMIN_ID, name="amara", real_name="Amara Okafor", title="Head of Inclusion", department="People",
           tz="Europe/London", email="amara.okafor@flipside.example", is_admin=True),
    Member(id="U0PRIYA", name="priya", real_name="Priya Nair", title="Graduate Data Analyst", department="Data",
           tz="Asia/Kolkata", email="priya.nair@flipside.example"),
    Member(id="U0TOM", name="tom", real_name="Tom Becker", title="Chief Operating Officer", department="Operations",
           tz="America/New_York", email="tom.becker@flipside.example"),
    Member(id="U0LEO", name="leo", real_name="Léo Martin", title="Product Designer", department="Design",
           tz="Europe/Paris", email="leo.martin@flipside.example"),
    Member(id="U0HELEN", name="helen", real_name="Helen Whitfield", title="Chief Financial Officer", department="Finance",
           tz="Europe/London", email="helen.whitfield@flipside.example"),
    Member(id="U0KWAME", name="kwame", real_name="Kwame Mensah", title="Junior Software Engineer", department="Engineering",
           tz="Europe/London", email="kwame.mensah@flipside.example"),
    Member(id="U0DIANA", name="diana", real_name="Diana Álvarez", title="VP of Sales", department="Sales",
           tz="America/New_York", email="diana.alvarez@flipside.example"),
    Member(id="U0SOFIA", name="sofia", real_name="Sofía Ramírez", title="Customer Support Specialist", department="Support",
           tz="America/Mexico_City", email="sofia.ramirez@flipside.example"),
    Member(id="U0ARJUN", name="arjun", real_name="Arjun Mehta", title="Chief Technology Officer", department="Engineering",
           tz="Asia/Kolkata", email="arjun.mehta@flipside.example"),
    Member(id="U0YUKI", name="yuki", real_name="Yuki Tanaka", title="Marketing Coordinator", department="Marketing",
           tz="Asia/Tokyo", email="yuki.tanaka@flipside.example"),
    Member(id="U0NOAH", name="noah", real_name="Noah Cohen", title="General Counsel", department="Legal",
           tz="America/New_York", email="noah.cohen@flipside.example"),
)


# The rest of the demo cohort: six more pairs whose sessions run quietly, so the cohort is large enough
# (over k = 5 people on each side) for the admin's "Did it work?" figures to show.
COHORT_PAIRS: tuple[tuple[Member, Member], ...] = tuple(
    (
        Member(id=f"U0RM{index}", name=mentor.lower(), real_name=f"{mentor} {surname}", title="Reverse-mentor", department=department, tz=tz,
               email=f"{mentor.lower()}.{surname.lower()}@flipside.example"),
        Member(id=f"U0EX{index}", name=exec_name.lower(), real_name=f"{exec_name} {exec_surname}", title=exec_title, department=department, tz=tz,
               email=f"{exec_name.lower()}.{exec_surname.lower()}@flipside.example"),
    )
    for index, (mentor, surname, exec_name, exec_surname, exec_title, department, tz) in enumerate(
        (
            ("Aisha", "Bello", "Graham", "Holt", "Chief People Officer", "People", "Europe/London"),
            ("Mateo", "Silva", "Ingrid", "Larsen", "VP of Engineering", "Engineering", "Europe/Oslo"),
            ("Chloe", "Nguyen", "Robert", "Hale", "Chief Marketing Officer", "Marketing", "America/New_York"),
            ("Samir", "Haddad", "Fiona", "Grant", "Head of Legal Operations", "Legal", "Europe/London"),
            ("Zanele", "Dlamini", "Peter", "Vogel", "VP of Finance", "Finance", "Europe/Berlin"),
            ("Ravi", "Kumar", "Susan", "Price", "Chief Customer Officer", "Support", "Asia/Kolkata"),
        ),
        start=1,
    )
)
EVERYONE: tuple[Member, ...] = PEOPLE + tuple(member for pair in COHORT_PAIRS for member in pair)


def zone_of(user_id: str) -> str:
    """The demo person's time zone."""
    return next(person.tz for person in EVERYONE if person.id == user_id)


def populate(workspace: Workspace) -> Workspace:
    """Add the demo people and channels to a workspace (a fresh copy of each, so workspaces never share state)."""
    for person in EVERYONE:
        workspace.add_member(Member(**vars(person)))
    for channel in CHANNELS:
        workspace.add_channel(Channel(**vars(channel)))
    return workspace
