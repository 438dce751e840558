using Platform.Testing;

namespace Order.Service.Tests;

public sealed class StoredEventShapeTests
{
    [Fact]
    public Task Every_stored_event_type_reads_its_golden_json_and_is_written_again_unchanged() =>
        StoredEventShapes.Verify(types => EventTypes.Register(types), "StoredEvents");
}
