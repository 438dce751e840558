using Platform.EventSourcing;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>What an earlier release stored: the field was called "colour".</summary>
public sealed record ColourChosenV1(string Colour);

/// <summary>The same fact now: the field renamed, stored under a name of its own.</summary>
public sealed record ColorChosen(string Color);

public sealed class UpcastTests
{
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task An_event_stored_in_its_old_shape_reads_as_the_new_one_and_new_appends_take_the_new_name()
    {
        await using var database = await TestDatabase.Create();
        using (var earlierRelease = new EventStore(database.DataSource, new MessageTypeRegistry().Register<ColourChosenV1>("test.colour-chosen"), TimeProvider.System))
        {
            await using var session = await earlierRelease.OpenSession(null, NoMetadata, Ct);
            session.Append("palette", "palette", 0, [new ColourChosenV1("red")]);
            await session.Commit(Ct);
        }

        var types = new MessageTypeRegistry()
            .Register<ColorChosen>("test.color-chosen")
            .Upcast("test.colour-chosen", json => new ColorChosen(json.GetProperty("colour").GetString()!));
        using var store = new EventStore(database.DataSource, types, TimeProvider.System);
        Assert.Equal(new ColorChosen("red"), Assert.Single(await store.ReadStream("palette", Ct)).Data);

        await using (var session = await store.OpenSession(null, NoMetadata, Ct))
        {
            var palette = await session.Load("palette", "palette", new List<string>(), (colors, e) => [.. colors, ((ColorChosen)e).Color], Ct);
            Assert.Equal(1L, palette.Version);
            Assert.Equal(["red"], palette.State);
            session.Append(palette, [new ColorChosen("blue")]);
            await session.Commit(Ct);
        }
        Assert.Equal(["test.colour-chosen", "test.color-chosen"],
            (await store.ReadStream("palette", Ct)).Select(e => e.Type));
        Assert.Equal("blue", await database.Scalar<string>("select data->>'color' from mt_events where stream_id = 'palette' and version = 2"));
    }
}
