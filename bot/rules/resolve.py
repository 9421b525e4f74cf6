"""From raw moves to moves: teams by their canonical names, one move per driver and team, cars,
former teams, replaced drivers, teammates and line-ups."""

from __future__ import annotations

from typing import cast

from bot.models import LineupEntry, Move, MoveKind, Status
from bot.rules.document import (
    _GENERIC_TEAM_WORDS,
    _SEAT_OF,
    _TEAM_WORDS,
    CAR,
    PERSON,
    SERIES,
    TEAM,
    WORDS,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
    _name_key,
    _possessive,
    _strip_possessive,
    _writes,
)
from bot.rules.gazetteer import HOW_RANK, TeamCandidate
from bot.rules.history import _RELATIVE_ASIDE, history_discount, told_in_past
from bot.rules.origins import Origins
from bot.rules.scans import in_another_car
from bot.rules.text import fold


def _first_sentence(entry: dict[str, object]) -> int:
    return min(item.sentence for item in entry["items"])  # type: ignore[attr-defined]


def _brand_only(item: RawMove) -> bool:
    """The move's team was named only by a sponsor's or manufacturer's name."""
    return item.team is not None and bool(item.team.candidates) and \
        item.team.candidates[0].how in ("sponsor", "manufacturer")  # (best first)


_CAR_CLAUSE_SUBORDINATORS = frozenset(WORDS["car_clause_subordinators"])


class Resolver(Origins):
    def _team_name(self, doc: _Doc, mention: Mention, car: str | None
                   ) -> tuple[str, str | None, float]:
        """Canonical team, its series, and a confidence factor for how sure the name is."""
        key = ("team", mention.start, car, doc.focus)
        if key not in doc.memo:
            doc.memo[key] = self._resolve_team(doc, mention, car)
        return doc.memo[key]  # type: ignore[return-value]

    def _resolve_team(self, doc: _Doc, mention: Mention, car: str | None
                      ) -> tuple[str, str | None, float]:
        candidates = list(mention.candidates)
        if candidates and doc.series_hint and all(
                c.series != doc.series_hint and _name_key(mention.value) in {
                    _name_key(base) for base in self.gazetteer.teams[(c.series, c.team)].bases}
                for c in candidates):
            # "Grove" in a Supercars story is no F1 team's home: a team as written
            return mention.value, doc.series_hint, 0.9
        if car is None and len(candidates) == 1:
            only = candidates[0]  # one team by this name: nothing to decide
            if only.how in ("name", "alias"):
                return only.team, only.series, 1.0
        sentence = doc.sentence_of(mention.start)
        nearby = {m.value for m in doc.by_sentence[sentence] if m.kind == SERIES}
        if not candidates:
            return mention.value, (next(iter(nearby)) if len(nearby) == 1
                                   else doc.series_hint), 0.9
        hint = {doc.series_hint} if doc.series_hint else set()
        for series_set in (nearby, hint, doc.series_seen):
            narrowed = [c for c in candidates if c.series in series_set]
            if narrowed:
                candidates = narrowed
                break
        if car is not None:
            with_car = [c for c in candidates
                        if car in self.gazetteer.teams[(c.series, c.team)].cars]
            if not with_car:
                # "Cadillac Racing ... No. 31": another entry of the same make runs that car.
                words = set(fold(mention.value).split()) - _TEAM_WORDS - _GENERIC_TEAM_WORDS
                for series in sorted({c.series for c in candidates}):
                    for info, info_words in self.gazetteer.teams_with_car(series, car):
                        if words & info_words:
                            with_car.append(TeamCandidate(info.name, info.series, "alias"))
            if with_car:
                candidates = with_car
        best = HOW_RANK[candidates[0].how]
        if best >= HOW_RANK["sponsor"] and doc.focus is not None:
            # "the team's No. 66 ... Honda" in a story about Meyer Shank Racing: that team.
            for candidate in candidates:
                if candidate.team == doc.focus:
                    return candidate.team, candidate.series, 0.9
        top = [c for c in candidates if HOW_RANK[c.how] == best]
        teams = {(c.team, c.series) for c in top}
        if len(teams) == 1:
            chosen = top[0]
            return chosen.team, chosen.series, 1.0 if chosen.how in ("name", "alias") else 0.9
        series_left = {c.series for c in top}
        return mention.value, (series_left.pop() if len(series_left) == 1
                               else doc.series_hint), 0.7

    def _finish(self, doc: _Doc, raw: list[RawMove], focus: Mention | None) -> list[Move]:
        merged: dict[tuple[str, str, str], dict[str, object]] = {}
        order: list[tuple[str, str, str]] = []
        sentences_of: dict[str, set[int]] = {}
        for item in raw:
            sentences_of.setdefault(item.driver, set()).add(item.sentence)
        for item in raw:
            # A car read from the move's own sentence outranks one an earlier statement of
            # the move found elsewhere ("Kaulig moves Hemric up" + "..., where he will drive
            # the No. 31" + "He spent this year in the No. 11").
            other_car = in_another_car(doc, item)
            car_here = item.car or (None if other_car else self._car_in_own_sentence(doc, item))
            car = car_here or (None if other_car else self._car_elsewhere(
                doc, item, sentences_of[item.driver]))
            team, series, certainty = ("", doc.series_hint, 1.0)
            if item.team is not None:
                team, series, certainty = self._team_name(doc, item.team, car)
            key = (item.driver, item.kind.direction, team)
            confidence = item.pattern.confidence * certainty
            if item.team_from_context:
                confidence *= 0.85
            if item.status is Status.RUMOUR:
                confidence *= 0.5
            if not item.driver_mention.known:
                confidence *= 0.9
            entry = merged.get(key)
            if entry is None:
                alternatives = {c.team for c in item.team.candidates} if (
                    item.team is not None and certainty <= 0.7) else set()
                entry = {"kind": item.kind, "team": team or None, "series": series,
                         "alternatives": alternatives, "brand": _brand_only(item),
                         "car": car, "car_here": car_here is not None,
                         "replaced": item.replaced, "status": item.status,
                         "confidence": confidence, "items": [item],
                         "teammates": list(item.teammates)}
                merged[key] = entry
                order.append(key)
                continue
            entry["items"].append(item)  # type: ignore[union-attr]
            entry["brand"] = entry["brand"] and _brand_only(item)
            if item.status is Status.CONFIRMED:
                entry["status"] = Status.CONFIRMED
            entry["confidence"] = max(entry["confidence"], confidence)  # type: ignore[type-var]
            if car_here is not None and not entry["car_here"]:
                entry["car"], entry["car_here"] = car_here, True
            entry["car"] = entry["car"] or car
            entry["replaced"] = entry["replaced"] or item.replaced
            # The lead states the move; a later "stood in for" is background, but a later
            # sentence may say the arrival is a promotion or the departure a retirement.
            if item.kind in (MoveKind.PROMOTE, MoveKind.RETIRE) and entry["kind"] in (
                    MoveKind.JOIN, MoveKind.LEAVE):
                entry["kind"] = item.kind
            entry["teammates"].extend(item.teammates)  # type: ignore[union-attr]
        # "Cadillac" (two Cadillac entries) beside "Action Express Racing": the same move.
        for key in list(order):
            other_teams = cast("set[str]", merged[key]["alternatives"]) if key in merged \
                else set()
            if not other_teams:
                continue
            driver, direction, _team = key
            targets = [k for k in order if k != key and k[0] == driver and k[1] == direction
                       and k[2] in other_teams]
            if targets:
                target = merged[targets[0]]
                source = merged.pop(key)
                order.remove(key)
                target["items"].extend(source["items"])  # type: ignore[union-attr]
                target["car"] = target["car"] or source["car"]
                target["replaced"] = target["replaced"] or source["replaced"]
        # A move with no team, or with only the article's team guessed for it ("Lawson lines
        # up alongside Hadjar" after "Lawson sent back to Racing Bulls"), joins the same
        # driver's move in the same direction.
        for key in list(order):
            driver, direction, team = key
            if team and not all(item.team_from_context
                                for item in merged[key]["items"]):  # type: ignore[attr-defined]
                continue
            others = [k for k in order if k != key and k[0] == driver and k[1] == direction
                      and k[2]]
            if len(others) == 1 and key in merged:
                target = merged[others[0]]
                source = merged.pop(key)
                order.remove(key)
                target["kind"] = source["kind"] if source["kind"] in (
                    MoveKind.RETIRE, MoveKind.PROMOTE, MoveKind.REPLACE) else target["kind"]
                target["items"].extend(source["items"])  # type: ignore[union-attr]
                target["replaced"] = target["replaced"] or source["replaced"]
        # "BMW confirms Rossi" and "Rossi will race for Team WRT": the maker announced a seat
        # at the team it names, which is the move.
        for key in list(order):
            driver, direction, _team = key
            if merged[key]["brand"] and any(
                    k != key and k[0] == driver and k[1] == direction and k[2]
                    and not merged[k]["brand"] for k in order):
                merged.pop(key)
                order.remove(key)
        # Leaving a team and arriving at it: "Arrow McLaren has parted ways with Malukas ...
        # Malukas moved to Arrow McLaren over the winter" restates how he got there; the move
        # stated first is the story.
        for key in list(order):
            driver, direction, team = key
            if direction == "arrive" and team and (driver, "depart", team) in merged and \
                    merged[(driver, "depart", team)]["kind"] is MoveKind.LEAVE:
                depart = (driver, "depart", team)
                later = key if _first_sentence(merged[key]) >= _first_sentence(merged[depart]) \
                    else depart
                merged.pop(later)
                order.remove(later)
        # Staying and arriving at the same team: the explicit retention is the story, unless
        # the arrival is in a new championship ("will step up to Moto2 with VR46, staying with
        # Rossi's squad": a switch between a team's programmes is a join).
        for key in list(order):
            driver, direction, team = key
            if direction == "arrive" and (driver, "stay", team) in merged:
                new_series = any(
                    m.kind == SERIES and 0 <= m.start - item.trigger[1] <= 3
                    for item in merged[key]["items"]  # type: ignore[attr-defined]
                    for m in doc.by_sentence[item.sentence])
                dropped_key = (driver, "stay", team) if new_series else key
                merged.pop(dropped_key)
                order.remove(dropped_key)
        # "Rins will ride for Yamaha ... The Spaniard joined LCR Honda this year": a later
        # arrival elsewhere told in the simple past is where he comes from.
        for key in list(order):
            driver, direction, team = key
            if direction != "arrive":
                continue
            earlier = [k for k in order if k != key and k[0] == driver and k[1] == "arrive"
                       and _first_sentence(merged[k]) < _first_sentence(merged[key])]
            if earlier and all(told_in_past(doc, item)
                               for item in merged[key]["items"]):  # type: ignore[attr-defined]
                merged.pop(key)
                order.remove(key)
        # "Barnard takes over from Hughes at McLaren" + "Hughes joins Maserati": Hughes comes
        # from McLaren; so does "Armstrong takes the place of Malukas, who is heading to Foyt",
        # where the replaced driver is found in the move's sentences.
        seat_left: dict[str, str] = {}
        for key in order:
            if key[1] == "arrive":
                # (whom the move names as replaced, or whom its sentences say it replaces)
                merged[key]["replaced"] = merged[key]["replaced"] or self._replaced(
                    doc, merged[key]["items"])  # type: ignore[arg-type]
                if key[2] and merged[key]["replaced"]:
                    seat_left.setdefault(str(merged[key]["replaced"]), key[2])
        moves: list[Move] = []
        leaves = {(k[0]): k for k in order if k[1] == "depart" and
                  merged[k]["kind"] is MoveKind.LEAVE}
        dropped: set[tuple[str, str, str]] = set()
        for key in order:
            entry = merged[key]
            driver, direction, team = key
            items: list[RawMove] = entry["items"]  # type: ignore[assignment]
            kind: MoveKind = entry["kind"]  # type: ignore[assignment]
            first = items[0]
            from_team = None
            if direction == "arrive":
                from_team = self._from_team(doc, items, team)
                if from_team is None and seat_left.get(driver, team) != team:
                    from_team = seat_left[driver]
                leave_key = leaves.get(driver)
                if leave_key and leave_key[2] and leave_key[2] != team and \
                        merged[leave_key]["status"] is Status.CONFIRMED and \
                        entry["status"] is Status.CONFIRMED:
                    # "will leave GRT Yamaha ... and join Bonovo BMW" under "swaps Yamaha for
                    # BMW": one transfer, whichever name of where he comes from was read.
                    from_team = from_team or leave_key[2]
                    dropped.add(leave_key)
            replaced = entry["replaced"]
            if kind is MoveKind.JOIN and replaced and any(
                    self._interim(doc, *doc.sentences[item.sentence]) for item in items):
                # "Alpine will run Colapinto in place of Doohan for the next five grands prix"
                kind = MoveKind.REPLACE
            season = self._season(doc, items, kind)
            if doc.published is not None and kind is not MoveKind.LEAVE and \
                    kind is not MoveKind.RETIRE and (season is None or (
                        kind is MoveKind.EXTEND and season <= doc.published.year)):
                # No season written, or a stay dated no later than the news ("all ten of its
                # 2019 drivers are retained", told in December): the season the news is for,
                # which late in a year is the next one.
                late = doc.published.month >= self.settings[
                    "next_season_month_stay" if kind is MoveKind.EXTEND else "next_season_month"
                ] and kind is not MoveKind.REPLACE
                season = doc.published.year + (1 if late else 0)
            confidence = float(entry["confidence"])  # type: ignore[arg-type]
            # Career background restated ("In 2007 Hamilton joined McLaren") is no news.
            confidence *= history_discount(doc, items, season)
            role = self._role(doc, items, kind)
            if kind is MoveKind.JOIN and self._prior_role(doc, items, team):
                kind = MoveKind.PROMOTE
            evidence_span = doc.sentences[first.sentence]
            evidence = doc.text[evidence_span[0]:evidence_span[1]].strip()
            moves.append(Move(
                driver=doc.name(driver), kind=kind,
                team=self._team_as_written(doc, seat_left[driver] if (
                    direction == "depart" and driver in seat_left and
                    all(item.team_from_context for item in items)) else entry["team"]),
                # ("Bottas takes the place of Räikkönen, who retires": the seat's team.)
                car=entry["car"], series=entry["series"],  # type: ignore[arg-type]
                season=season, role=role,
                from_team=self._team_as_written(doc, from_team) if from_team != team else None,
                replaces=doc.name(replaced) if replaced and replaced != driver else None,
                teammates=tuple(dict.fromkeys(
                    [doc.name(m.value) for m in entry["teammates"]  # type: ignore[union-attr]
                     if m.value != driver] + ([doc.name(m) for m in self._teammates(doc, items)]
                                              if direction != "depart" else []))),
                status=entry["status"],  # type: ignore[arg-type]
                confidence=round(min(1.0, confidence), 3),
                evidence=evidence[:500],
            ))
        return [m for m, key in zip(moves, order, strict=True) if key not in dropped]

    def _team_as_written(self, doc: _Doc, team: str | None) -> str | None:
        """The team under a name the article uses: the gazetteer's name when the article
        writes it, else the fullest of the article's own names or aliases for the team
        ("Andretti Autosport" in a 2022 story, not today's "Andretti Global"). A sponsor's or
        maker's name is not the team's, so it never stands in."""
        if not team:
            return team
        key = ("written", team)
        if key in doc.memo:
            return doc.memo[key]  # type: ignore[return-value]
        written = team
        if not _writes(doc, _name_key(team)):
            era = self._era_name(doc, team)
            if era is not None:
                doc.memo[key] = era
                return era
            best = 0
            info = self.gazetteer.team_info(team)
            # (a team's home or nickname stands for it, never as it: "the Faenza squad",
            # "Maranello", "the Silver Arrows")
            homes = {_name_key(name) for name in (*info.bases, *info.nicknames)} \
                if info is not None else set()
            for mention in doc.mentions:
                if mention.kind == TEAM and mention.end - mention.start > best and any(
                        c.team == team and c.how in ("name", "alias")
                        for c in mention.candidates) and _name_key(mention.value) not in homes:
                    best = mention.end - mention.start
                    written = _strip_possessive(doc.text[mention.start:mention.end])
            # "Red Bull" is plainly Red Bull Racing: the shared name keeps one team per team.
            ours, theirs = f" {_name_key(written)} ", f" {_name_key(team)} "
            if ours in theirs or theirs in ours:
                written = team
        doc.memo[key] = written
        return written

    def _era_name(self, doc: _Doc, team: str) -> str | None:
        """"The Faenza squad" in a story that names AlphaTauri, "Andretti" in one that names
        Andretti Autosport: the team under the name the article gives it in its own era. (Not
        "Mercedes" for HWA Racelab, named as what the team was before: the era's name shares a
        word with the name written for the move, or that name is the team's home.)"""
        lineage = self.gazetteer.lineage(team)
        if len(lineage) < 2:
            return None
        homes = {_name_key(base) for name in lineage
                 if (info := self.gazetteer.team_info(name)) is not None for base in info.bases}
        written = [m for m in doc.mentions if m.kind == TEAM and
                   any(c.team == team for c in m.candidates)]
        for mention in doc.mentions:
            for candidate in mention.candidates if mention.kind == TEAM else ():
                era = candidate.team
                if candidate.how != "name" or era == team or era not in lineage:
                    continue
                era_words = set(fold(era).split()) - _TEAM_WORDS - _GENERIC_TEAM_WORDS
                if any(_name_key(m.value) in homes or era_words & set(fold(m.value).split())
                       for m in written):
                    return era
        return None

    def _car_for(self, doc: _Doc, item: RawMove, busy: set[int] | frozenset[int] = frozenset()
                 ) -> str | None:
        """The car number stated for this driver: in the move's clause, else a sentence that
        names the driver and one car and nobody else."""
        if in_another_car(doc, item):
            return None
        return self._car_in_own_sentence(doc, item) or self._car_elsewhere(doc, item, busy)

    def _car_in_own_sentence(self, doc: _Doc, item: RawMove) -> str | None:
        c_left, c_right = self._clause_bounds(doc, item.sentence, *item.trigger)
        person = item.driver_mention
        # "... the No. 41, replacing Busch, who left for Ganassi": the car before the relative
        # clause's person is the main clause's (but "the No. 38 with A, who stays" stays in it)
        relative = item.kind is not MoveKind.EXTEND and person.end <= item.trigger[0] and \
            _RELATIVE_ASIDE.match(doc.text, person.end) is not None
        if relative:
            c_left = max(c_left, person.start)
        mentions = doc.by_sentence[item.sentence]
        cars = [m for m in mentions if m.kind == CAR and c_left <= m.start < c_right]
        # "moved from the No. 93 to the No. 94": the car he leaves is not his
        cars = [m for m in cars if doc.folded[max(0, m.start - 9):m.start].split()[-2:] not in (
            ["from", "the"], ["from"], ["from", "his"], ["from", "her"])] or cars
        if len({m.value for m in cars}) > 1 and len(item.co_drivers) > 1:
            # A crew list: "A and B in the No. 7 and C with D in the No. 6": each name takes
            # the first car written after it, the last ones the car before them.
            anchor = item.driver_mention.start
            after = [m for m in cars if m.start > anchor]
            if after:
                first_after = min(after, key=lambda m: m.start)
                subject_car = [m for m in cars if m.end <= item.trigger[0]]
                if subject_car and anchor >= item.trigger[1] and any(
                        m.kind == PERSON and anchor < m.start < first_after.start and
                        m.value not in item.co_drivers for m in mentions):
                    # "The No. 22 will be raced by A and B, with C and D in the No. 23": the
                    # car the verb is said of is the crew's, the later one the next crew's
                    return subject_car[-1].value
                return first_after.value
            return max(cars, key=lambda m: m.start).value
        if len({m.value for m in cars}) == 1:
            if cars[0].end <= person.start and not _CAR_CLAUSE_SUBORDINATORS.isdisjoint(
                    doc.folded[cars[0].end:person.start].split()):
                return None  # "A will race the No. 40 after B moved to Penske": A's car
            return cars[0].value  # "In the #36, A joins B and new signing C": one crew
        if len({m.value for m in cars}) > 1:
            mates = set(self._teammates(doc, [item])) | {m.value for m in item.teammates}
            others = [m for m in mentions if m.kind == PERSON and m.value != item.driver
                      and m.value not in mates and m.value not in item.co_drivers
                      and m.value != item.replaced and c_left <= m.start < c_right]
            anchor = item.driver_mention.start
            # ("..., and B moves to Legacy's No. 42": the subject's car is the one his verb
            # names, not the one the clause before ended with)
            after_verb = [m for m in cars if m.start >= item.trigger[1] > anchor and not any(
                item.trigger[1] <= o.start < m.start for o in others) and
                _RELATIVE_ASIDE.search(doc.text, item.trigger[1], m.start) is None]
            if after_verb:
                return min(after_verb, key=lambda m: m.start).value
            cars.sort(key=lambda m: abs(m.start - anchor))
            for car in cars:
                low, high = sorted((anchor, car.start))
                if not any(low < o.start < high for o in others):
                    return car.value
        if not cars and not relative:
            # "..., where he will drive the No. 31 Chevrolet": the move's own sentence, when it
            # names one car and nobody else, says the car before any other sentence does.
            numbers = {m.value for m in mentions if m.kind == CAR}
            if len(numbers) == 1 and all(
                    m.value == item.driver or m.value in item.co_drivers
                    for m in mentions if m.kind == PERSON):
                return numbers.pop()
        return None

    def _car_elsewhere(self, doc: _Doc, item: RawMove, busy: set[int] | frozenset[int]
                       ) -> str | None:
        about: set[int] | None = None
        for index in doc.car_sentences:
            sentence_mentions = doc.by_sentence[index]
            if index == item.sentence or index in busy:
                continue
            people = [m for m in sentence_mentions if m.kind == PERSON]
            for person in people:
                if person.value != item.driver:
                    continue
                low, high = self._clause_bounds(doc, index, person.start, person.end)
                numbers = {m.value for m in sentence_mentions
                           if m.kind == CAR and low <= m.start < high}
                strangers = [m for m in people if low <= m.start < high
                             and m.value not in item.co_drivers and m.value != item.driver]
                if len(numbers) == 1 and not strangers:
                    return numbers.pop()
            numbers = {m.value for m in sentence_mentions if m.kind == CAR}
            if len(numbers) != 1:
                continue
            if about is None:
                about = set(self._sentences_about(doc, [item]))
            if index in about and (
                    not people or self._opening_reference(doc, index, people[0].start)):
                # "The New Zealander takes over the #66"; "The Pole will share the No. 83
                # with A and B".
                return numbers.pop()
        # "Corvette will race with a C8.R shared by A, B and C. The car will carry No. 33.":
        # the article's only car, where it names one team and no other driver's car (read
        # once an article, not once a move)
        key = ("only car",)
        if key not in doc.memo:
            cars = {m.value for m in doc.mentions if m.kind == CAR}
            doc.memo[key] = cars.pop() if len(cars) == 1 and len(
                {self._team_name(doc, m, None)[0] for m in doc.mentions if m.kind == TEAM}
            ) == 1 else None
        return doc.memo[key]  # type: ignore[return-value]

    def _sentences_about(self, doc: _Doc, items: list[RawMove]) -> list[int]:
        """The move's sentences, those whose first person is the driver, and a following
        sentence that opens with "He"/"She" and names nobody."""
        driver = items[0].driver
        key = ("about", driver, items[0].sentence if len(items) == 1 else
               tuple(sorted({item.sentence for item in items})))
        if key in doc.memo:
            return doc.memo[key]  # type: ignore[return-value]
        found = {item.sentence for item in items}
        firsts = doc.memo.get(("first person of",))
        if firsts is None:  # (sentence indexes by the person each names first, read once)
            firsts = doc.memo[("first person of",)] = {}
            for i, first_named in enumerate(doc.first_person):
                firsts.setdefault(first_named, []).append(i)  # type: ignore[union-attr]
        found.update(firsts.get(driver, ()))  # type: ignore[union-attr]
        # "He ...", "The Spaniard, who ... Vowles, ..." after sentences about the driver.
        named = doc.person_sentences.get(driver)
        if named:
            first = min(named)
            found.update(i for i in self._reference_openings(doc)
                         if i > first and i not in found and self._topic(doc, i) == driver)
        doc.memo[key] = sorted(found)
        return doc.memo[key]  # type: ignore[return-value]

    def _teammates(self, doc: _Doc, items: list[RawMove]) -> list[str]:
        """Drivers named after "teamed with", "alongside", "co-drivers" in the move's
        sentences: the same car or team."""
        key = ("mates", items[0].driver, tuple(sorted({item.sentence for item in items})))
        if key not in doc.memo:
            doc.memo[key] = self._find_teammates(doc, items)
        return doc.memo[key]  # type: ignore[return-value]

    def _find_teammates(self, doc: _Doc, items: list[RawMove]) -> list[str]:
        driver = items[0].driver
        cues = doc.cues.get("teammate", ())
        mates: list[str] = []
        own = {item.sentence for item in items}
        # "He will partner Andrea Locatelli" after the move: the driver's teammate too.
        earliest = min(own)  # (what is added comes after it: the least stays)
        own.update(i for i in self._reference_openings(doc)
                   if i > earliest and self._topic(doc, i) == driver)
        read_from, read_to = cast("tuple[int, int]", doc.memo.get(("local range",), (0, 0)))
        for index in sorted(own):
            s_start, s_end = doc.sentences[index]
            people = [m for m in doc.by_sentence[index] if m.kind == PERSON]
            if not people:
                continue
            if not read_from <= s_start < read_to:
                # A sentence the local pass did not read ("He will partner X" after the last
                # trigger): its cues, read once and shared with the crew lists.
                cues = self._sentence_cues(doc, index).get("teammate", [])
            else:
                cues = doc.cues.get("teammate", ())
            for c_start, c_end in cues:
                if not s_start <= c_start < s_end:
                    continue
                following = [m for m in people if m.start >= c_end]
                if not following or len(doc.folded[c_end:following[0].start].split()) > 8:
                    continue
                chain = [following[0]]
                for nxt in following[1:]:
                    if not _coordinated(doc.text[chain[-1].end:nxt.start]):
                        break
                    chain.append(nxt)
                mates.extend(m.value for m in chain if m.value != driver and not m.non_driver)
        return list(dict.fromkeys(mates))

    def _replaced(self, doc: _Doc, items: list[RawMove]) -> str | None:
        driver = items[0].driver
        for index in self._sentences_about(doc, items):
            mentions = doc.by_sentence[index]
            for mention in mentions:
                if mention.kind == PERSON and mention.value != driver and (
                        self._after_cue(doc, mention, "replaces", words=3) or (
                            _possessive(doc, mention) and _SEAT_OF.match(
                                doc.text, mention.end - 2 if doc.text.endswith(
                                    ("'s", "’s"), mention.start, mention.end)
                                else mention.end))):
                    # "takes the seat of three-time champion Shane van Gisbergen", "named
                    # Berry as Kevin Harvick's successor"
                    return mention.value
        return None

    def _lineup(self, doc: _Doc, moves: list[Move], seats: list[RawMove]) -> list[LineupEntry]:
        """Who the article places in a team or car: the movers who arrive or stay, their
        named teammates, and line-up statements ("A, B and C will share the No. 7")."""
        entries: dict[tuple[str, str | None], LineupEntry] = {}
        for move in moves:
            if move.status is not Status.CONFIRMED or move.kind.direction == "depart" or \
                    move.team is None or move.kind is MoveKind.REPLACE:
                continue  # a stand-in for a race or two is not the car's line-up
            # (An entry is built only when new: a frozen one costs a few microseconds.)
            if (move.driver, move.team) not in entries:
                entries[(move.driver, move.team)] = LineupEntry(
                    driver=move.driver, team=move.team, car=move.car, series=move.series,
                    season=move.season, role=move.role)
            for mate in move.teammates:
                if (mate, move.team) not in entries:
                    entries[(mate, move.team)] = LineupEntry(
                        driver=mate, team=move.team, car=move.car, series=move.series,
                        season=move.season)
        for item in seats:
            if item.status is not Status.CONFIRMED or item.team is None:
                continue
            car = item.car or self._car_for(doc, item)
            team, series, _ = self._team_name(doc, item.team, car)
            team = self._team_as_written(doc, team) or team
            season = self._season(doc, [item], MoveKind.JOIN)
            for name in map(doc.name, (item.driver, *self._teammates(doc, [item]))):
                if (name, team) not in entries:
                    entries[(name, team)] = LineupEntry(driver=name, team=team, car=car,
                                                        series=series, season=season)
        return list(entries.values())
