"""The demo workspace's people, who you can be in the sandbox, and the cohort's channel.

Eleven colleagues across six time zones: a programme admin, four reverse-mentors and four senior
mentees (paired by `sandbox.demo`), a mentor still waiting for a partner, and someone not yet enrolled.
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


def zone_of(user_id: str) -> str:
    """The demo person's time zone."""
    return next(person.tz for person in PEOPLE if person.id == user_id)


def populate(workspace: Workspace) -> Workspace:
    """Add the demo people and channels to a workspace (a fresh copy of each, so workspaces never share state)."""
    for person in PEOPLE:
        workspace.add_member(Member(**vars(person)))
    for channel in CHANNELS:
        workspace.add_channel(Channel(**vars(channel)))
    return workspace
