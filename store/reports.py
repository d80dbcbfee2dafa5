"""Everything a programme's health report reads, loaded in one query per table (never one per pair)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store import measures, people
from store.models import (
    Action,
    Charter,
    CheckIn,
    Goal,
    MeasureAnswer,
    MentoringSession,
    Pair,
    Programme,
    Reflection,
    RoadmapItem,
)


@dataclass
class ProgrammeHistory:
    """A programme's rows, as plain lists: the input of `bot.rules.health.build_report`."""

    programme: Programme
    pairs: list[Pair] = field(default_factory=list)
    charters: list[Charter] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    roadmap: list[RoadmapItem] = field(default_factory=list)
    sessions: list[MentoringSession] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # user id -> name, for people the bot has met
    measure_answers: list[MeasureAnswer] = field(default_factory=list)  # the validated measures (issue 18)


async def load_history(session: AsyncSession, *, team_id: str, programme: Programme) -> ProgrammeHistory:
    pairs = list((await session.exec(select(Pair).where(Pair.team_id == team_id, Pair.programme_id == programme.id).order_by(Pair.id))).all())  # type: ignore[arg-type]
    pair_ids = select(Pair.id).where(Pair.team_id == team_id, Pair.programme_id == programme.id)

    async def rows(model: type, *order: object) -> list:
        statement = select(model).where(model.team_id == team_id, col(model.pair_id).in_(pair_ids))
        if order:
            statement = statement.order_by(*order)
        return list((await session.exec(statement)).all())

    user_ids = sorted({pair.mentor_id for pair in pairs} | {pair.mentee_id for pair in pairs})
    names = {user_id: person.name for user_id, person in (await people.get_people(session, team_id=team_id, user_ids=user_ids)).items() if person.name}
    return ProgrammeHistory(
        programme=programme,
        pairs=pairs,
        charters=await rows(Charter),
        goals=await rows(Goal, Goal.id),
        roadmap=await rows(RoadmapItem, RoadmapItem.pair_id, RoadmapItem.position),
        sessions=await rows(MentoringSession, MentoringSession.starts_at, MentoringSession.id),
        reflections=await rows(Reflection, Reflection.id),
        actions=await rows(Action, Action.id),
        check_ins=list(
            (await session.exec(select(CheckIn).where(CheckIn.team_id == team_id, CheckIn.programme_id == programme.id).order_by(CheckIn.id))).all()  # type: ignore[arg-type]
        ),
        names=names,
        measure_answers=await measures.programme_answers(session, team_id=team_id, programme_id=programme.id or 0),
    )
