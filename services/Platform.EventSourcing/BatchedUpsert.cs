namespace Platform.EventSourcing;

/// <summary>
/// An upsert of a read model's rows that every unit of work of a batch adds to, sent with the commit as
/// one statement (<c>unnest</c> of one array per column): in a batch of completed orders, one statement
/// per order for the worklist's row cost the database more than the orders' events.
/// </summary>
/// <remarks>
/// Nothing in the unit of work reads the rows back. Two rows with the same key in one commit are one
/// row, the later one (PostgreSQL refuses to update a row twice in one statement).
/// </remarks>
public sealed class BatchedUpsert
{
    private static readonly Dictionary<string, Type> Elements = new(StringComparer.Ordinal)
    {
        ["text"] = typeof(string),
        ["uuid"] = typeof(Guid?),
        ["timestamptz"] = typeof(DateTimeOffset?),
    };

    private readonly Type[] elements;

    /// <param name="table">The table written.</param>
    /// <param name="columns">Each column and its type (<c>text</c>, <c>uuid</c> or <c>timestamptz</c>), the key's first.</param>
    /// <param name="keyColumns">How many of the first columns are the conflict's key.</param>
    /// <param name="updated">The columns an existing row takes from the new one.</param>
    public BatchedUpsert(string table, IReadOnlyList<(string Name, string Type)> columns, int keyColumns, IReadOnlyList<string> updated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyColumns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keyColumns, columns.Count);
        elements = [.. columns.Select(c => Elements.TryGetValue(c.Type, out var type)
            ? type
            : throw new ArgumentException($"Column {c.Name}: type {c.Type} is not one a batched upsert writes.", nameof(columns)))];
        KeyColumns = keyColumns;
        var insert = $"insert into {table} ({string.Join(", ", columns.Select(c => c.Name))}) ";
        var onConflict = $" on conflict ({string.Join(", ", columns.Take(keyColumns).Select(c => c.Name))}) do update set " +
                         string.Join(", ", updated.Select(c => $"{c} = excluded.{c}"));
        Sql = insert + $"select * from unnest({string.Join(", ", columns.Select(c => $"?::{c.Type}[]"))})" + onConflict;
        OneRowSql = insert + $"values ({string.Join(", ", columns.Select(c => $"?::{c.Type}"))})" + onConflict;
    }

    internal string Sql { get; }

    /// <summary>The same upsert for one row, as plain values: see <see cref="PlumbingRows.Queue"/> for why.</summary>
    internal string OneRowSql { get; }
    internal int KeyColumns { get; }
    internal int Width => elements.Length;

    /// <summary>The values of one row, as the driver writes them.</summary>
    internal static object?[] Values(object?[] row) => [.. row.Select(Value)];

    /// <summary>One array per column, the values of <paramref name="rows"/> in order, typed as the driver writes them.</summary>
    internal object[] Columns(IReadOnlyList<object?[]> rows)
    {
        var columns = new object[elements.Length];
        for (var c = 0; c < elements.Length; c++)
        {
            var column = Array.CreateInstance(elements[c], rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                column.SetValue(Value(rows[r][c]), r);
            }
            columns[c] = column;
        }
        return columns;
    }

    // timestamptz takes UTC only; an instant given with its sender's offset is the same moment.
    private static object? Value(object? value) => value is DateTimeOffset instant ? instant.ToUniversalTime() : value;
}

/// <summary>The rows of each <see cref="BatchedUpsert"/> that a transaction's units of work added, the last per key.</summary>
internal sealed class BatchedUpserts
{
    private readonly Dictionary<BatchedUpsert, (List<object?[]> Rows, Dictionary<string, int> ByKey)> pending = [];

    public void Add(BatchedUpsert upsert, object?[] row)
    {
        if (row.Length != upsert.Width)
        {
            throw new ArgumentException($"A row of {upsert.Width} values was expected; {row.Length} were given.", nameof(row));
        }
        if (!pending.TryGetValue(upsert, out var rows))
        {
            pending[upsert] = rows = ([], new Dictionary<string, int>(StringComparer.Ordinal));
        }
        var key = string.Join('\u001f', row.Take(upsert.KeyColumns));
        if (rows.ByKey.TryGetValue(key, out var at))
        {
            rows.Rows[at] = row;
        }
        else
        {
            rows.ByKey[key] = rows.Rows.Count;
            rows.Rows.Add(row);
        }
    }

    public void Queue(StoreTransaction work)
    {
        foreach (var (upsert, rows) in pending)
        {
            if (rows.Rows.Count == 1)
            {
                work.Sql(upsert.OneRowSql, BatchedUpsert.Values(rows.Rows[0]));
            }
            else
            {
                work.Sql(upsert.Sql, upsert.Columns(rows.Rows));
            }
        }
        pending.Clear();
    }
}
