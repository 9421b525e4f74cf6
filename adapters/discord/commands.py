"""Every command spec as a Discord app command, generated from bot.commands.specs.

Nothing here is written per command: each CommandSpec becomes an app_commands.Command whose
callback signature is built from the spec's options (so discord.py's own type conversion,
ranges, choices and autocomplete apply), and "group sub" specs hang under an
app_commands.Group. Every callback does the same thing: build a CommandCall, run it through
the core, render the Reply."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Optional

import discord
from discord import app_commands

from adapters.discord.render import DiscordMessage, cut, render_reply, render_text
from bot.commands.specs import SPECS, CommandSpec, OptionSpec, OptionType
from bot.messages import FAILED, CommandCall, OptionValue, Reply
from bot.ports import CommandRunner

log = logging.getLogger(__name__)

PLATFORM = "discord"
DM_WORKSPACE = "dm"
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)
# Discord drops an interaction that is not answered within 3 s; past this we defer first.
DEFAULT_DEFER_AFTER = 2.0
AUTOCOMPLETE_TIMEOUT = 2.5
CHOICE_LIMIT = 25
CHOICE_TEXT_LIMIT = 100
_LEADING_NUMBER = re.compile(r"^\s*#?(\d+)")

Suggest = Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[Any]]]]


def is_moderator(interaction: discord.Interaction) -> bool:
    """Manage Server in this guild. `interaction.permissions` is what Discord resolved for the
    member in the channel (Administrator implies everything); DMs have no moderators."""
    permissions = interaction.permissions
    return interaction.guild_id is not None and (permissions.manage_guild
                                                 or permissions.administrator)


def workspace_of(interaction: discord.Interaction) -> str:
    return str(interaction.guild_id) if interaction.guild_id else DM_WORKSPACE


def _option_value(value: object) -> OptionValue:
    """A value as discord.py resolved it, as the core takes it: integers stay integers,
    channels (and any other Discord object) travel as their id, the rest as text."""
    if isinstance(value, app_commands.Choice):
        value = value.value
    if isinstance(value, str | int):
        return value
    if hasattr(value, "id"):
        return str(value.id)
    return str(value)


class TextChannelOption(app_commands.Transformer):
    """A text or announcement channel, as Discord resolved it in the interaction.

    Unlike a `discord.TextChannel` annotation this needs no channel cache (and so no
    intents beyond `guilds`, nor a gateway that has seen the channel): the id is all the
    core needs."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Any:
        return value


def _annotation(option: OptionSpec) -> Any:
    if option.type is OptionType.INTEGER:
        if option.min_value is None and option.max_value is None:
            kind: Any = int
        else:
            kind = app_commands.Range[int, option.min_value, option.max_value]
    elif option.type is OptionType.CHANNEL:
        kind = app_commands.Transform[app_commands.AppCommandChannel, TextChannelOption]
    else:
        kind = str
    return kind if option.required else Optional[kind]  # noqa: UP045 - discord.py reads typing.Optional


class SlashCommands:
    """Registers every spec on a CommandTree and answers the interactions."""

    def __init__(self, runner: CommandRunner, *, defer_after: float = DEFAULT_DEFER_AFTER
                 ) -> None:
        self.runner = runner
        self.defer_after = defer_after

    # ----- registration --------------------------------------------------------------------

    def register(self, tree: app_commands.CommandTree[Any],
                 specs: Sequence[CommandSpec] = SPECS) -> None:
        groups: dict[str, list[CommandSpec]] = defaultdict(list)
        for spec in specs:
            if spec.sub:
                groups[spec.group].append(spec)
            else:
                tree.add_command(self.command_for(spec))
        for name, members in groups.items():
            tree.add_command(self.group_for(name, members))
        tree.on_error = self.on_tree_error  # type: ignore[method-assign]

    def group_for(self, name: str, members: Sequence[CommandSpec]) -> app_commands.Group:
        # Default permissions exist only on top-level commands, so a group is hidden from
        # non-moderators only when every subcommand is moderator-only; the runtime check in
        # `answer` holds either way.
        moderators_only = all(spec.moderator_only for spec in members)
        subs = ", ".join(spec.sub or "" for spec in members)
        group = app_commands.Group(
            name=name,
            description=cut(f"{name.capitalize()}: {subs}"
                            + (" (moderators)" if moderators_only else ""), 100),
            guild_only=moderators_only,
            default_permissions=MODERATOR_PERMISSIONS if moderators_only else None,
        )
        for spec in members:
            group.add_command(self.command_for(spec, parent=group))
        return group

    def command_for(self, spec: CommandSpec, parent: app_commands.Group | None = None
                    ) -> app_commands.Command[Any, ..., None]:
        async def callback(interaction: discord.Interaction, **values: Any) -> None:
            await self.answer(interaction, spec, values)

        callback.__name__ = callback.__qualname__ = "slash_" + spec.name.replace(" ", "_")
        parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        annotation=discord.Interaction)]
        # Keyword-only, so optional options may come before required ones in the signature;
        # discord.py lists required options first anyway, as Discord demands.
        parameters += [
            inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY,
                              annotation=_annotation(option),
                              default=inspect.Parameter.empty if option.required else None)
            for option in spec.options
        ]
        callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]

        if spec.options:
            app_commands.describe(**{o.name: cut(o.description, 100) for o in spec.options}
                                  )(callback)
        choices = {o.name: [app_commands.Choice(name=c, value=c) for c in o.choices]
                   for o in spec.options if o.choices}
        if choices:
            app_commands.choices(**choices)(callback)
        suggesters = {o.name: self.suggester(o) for o in spec.options
                      if o.autocomplete and not o.choices}
        if suggesters:
            app_commands.autocomplete(**suggesters)(callback)
        if spec.moderator_only and parent is None:
            app_commands.default_permissions(manage_guild=True)(callback)
            app_commands.guild_only()(callback)

        return app_commands.Command(
            name=spec.sub or spec.name,
            description=cut(spec.description, 100),
            callback=callback,
            parent=parent,
            extras={"spec": spec},
        )

    def suggester(self, option: OptionSpec) -> Suggest:
        integer = option.type is OptionType.INTEGER

        async def suggest(interaction: discord.Interaction, current: str
                          ) -> list[app_commands.Choice[Any]]:
            kind = option.autocomplete or ""
            if kind == "target":
                # /follow team <value>: suggest names of the kind already picked.
                chosen = getattr(interaction.namespace, "target", None)
                kind = str(chosen) if chosen else kind
            try:
                async with asyncio.timeout(AUTOCOMPLETE_TIMEOUT):
                    names = await self.runner.suggest(
                        kind, str(current or ""), platform=PLATFORM,
                        workspace=workspace_of(interaction))
            except Exception:  # an empty list beats an interaction that fails outright
                log.warning("autocomplete %s failed", kind, exc_info=True)
                return []
            choices: list[app_commands.Choice[Any]] = []
            for name in names:
                label = cut(name, CHOICE_TEXT_LIMIT)
                if integer:
                    number = _LEADING_NUMBER.match(name)
                    if number:
                        choices.append(app_commands.Choice(name=label, value=int(number[1])))
                elif label:
                    choices.append(app_commands.Choice(name=label, value=label))
            return choices[:CHOICE_LIMIT]

        return suggest

    # ----- answering -----------------------------------------------------------------------

    def call_for(self, interaction: discord.Interaction, spec: CommandSpec,
                 values: dict[str, Any]) -> CommandCall:
        user = interaction.user
        return CommandCall(
            name=spec.name,
            options={name: _option_value(value) for name, value in values.items()
                     if value is not None},
            platform=PLATFORM,
            workspace=workspace_of(interaction),
            channel=str(interaction.channel_id) if interaction.channel_id else None,
            user=str(user.id),
            user_name=user.display_name,
            is_moderator=is_moderator(interaction),
        )

    async def answer(self, interaction: discord.Interaction, spec: CommandSpec,
                     values: dict[str, Any]) -> None:
        call = self.call_for(interaction, spec, values)
        if spec.moderator_only and not call.is_moderator:
            # Discord hides these from non-moderators by default, but server admins can
            # override that per role or channel, so the permission is checked again here.
            refusal = render_text(f"/{spec.name} is for moderators: it needs the Manage Server "
                                  "permission in this server.")
            refusal.ephemeral = True
            await self._respond(interaction, refusal)
            return

        running = asyncio.ensure_future(self._run(call))
        try:
            reply = await asyncio.wait_for(asyncio.shield(running), self.defer_after)
        except TimeoutError:
            await self._defer_then_follow_up(interaction, spec, running)
            return
        await self._respond(interaction, render_reply(reply))

    async def _run(self, call: CommandCall) -> Reply:
        try:
            return await self.runner.run(call)
        except Exception:  # the runner promises not to raise; if it does, say so politely
            log.exception("command /%s raised", call.name)
            return FAILED

    async def _respond(self, interaction: discord.Interaction, message: DiscordMessage) -> None:
        try:
            await interaction.response.send_message(ephemeral=message.ephemeral,
                                                    **message.send_kwargs())  # type: ignore[arg-type]
        except discord.HTTPException:
            log.warning("could not answer interaction %s", interaction.id, exc_info=True)

    async def _defer_then_follow_up(self, interaction: discord.Interaction, spec: CommandSpec,
                                    running: asyncio.Future[Reply]) -> None:
        # Visibility is fixed at defer time; moderator answers are private, others public.
        private = spec.moderator_only
        try:
            await interaction.response.defer(ephemeral=private, thinking=True)
            message = render_reply(await running)
            if message.ephemeral and not private:
                # The public "thinking…" placeholder cannot turn private; remove it so the
                # error or personal answer goes only to the user who asked.
                with contextlib.suppress(discord.HTTPException):
                    await interaction.delete_original_response()
                await interaction.followup.send(ephemeral=True, **message.send_kwargs())  # type: ignore[arg-type]
            else:
                await interaction.edit_original_response(**message.send_kwargs())  # type: ignore[arg-type]
        except discord.HTTPException:
            log.warning("could not answer deferred interaction %s", interaction.id,
                        exc_info=True)
        finally:
            if not running.done():
                running.cancel()

    async def on_tree_error(self, interaction: discord.Interaction,
                            error: app_commands.AppCommandError) -> None:
        """Bad input discord.py caught itself (a value out of range, an unknown channel)."""
        if isinstance(error, app_commands.CommandInvokeError):
            log.error("slash command failed", exc_info=error.original)
            text = FAILED.text
        else:
            text = f"That didn't work: {error}"
        if interaction.response.is_done():
            return
        message = render_text(text)
        message.ephemeral = True
        await self._respond(interaction, message)
