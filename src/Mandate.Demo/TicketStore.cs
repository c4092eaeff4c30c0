using System.Collections.Concurrent;
using System.Globalization;

namespace Mandate.Demo;

/// <summary>The sample API's tickets, in memory. Thread-safe; starts with a few tickets.</summary>
public sealed class TicketStore
{
    private readonly ConcurrentDictionary<string, Ticket> _tickets = new(StringComparer.Ordinal);
    private int _nextId = 1003;

    /// <summary>A store holding the demo's seed tickets 1001–1003.</summary>
    public TicketStore()
    {
        Add(new Ticket("1001", "Printer on floor 3 jams", "open", "alice"));
        Add(new Ticket("1002", "VPN drops every hour", "open", null));
        Add(new Ticket("1003", "Refund for order 5521", "closed", "bob"));
    }

    /// <summary>All tickets ordered by id.</summary>
    public IReadOnlyList<Ticket> List() => _tickets.Values.OrderBy(t => t.Id, StringComparer.Ordinal).ToArray();

    /// <summary>One ticket, or null.</summary>
    public Ticket? Find(string id) => _tickets.GetValueOrDefault(id);

    /// <summary>Creates a ticket with the next id.</summary>
    public Ticket Create(string title, string? assignee)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var ticket = new Ticket(id, title, "open", assignee);
        Add(ticket);
        return ticket;
    }

    /// <summary>Applies a patch; null when the ticket does not exist.</summary>
    public Ticket? Update(string id, TicketPatch patch)
    {
        while (_tickets.TryGetValue(id, out var current))
        {
            var next = current with
            {
                Title = patch.Title ?? current.Title,
                Status = patch.Status ?? current.Status,
                Assignee = patch.Assignee ?? current.Assignee,
            };
            if (_tickets.TryUpdate(id, next, current))
            {
                return next;
            }
        }

        return null;
    }

    /// <summary>Tickets whose title contains <paramref name="text"/> (ignoring case), ordered by id.</summary>
    public IReadOnlyList<Ticket> Search(string text) =>
        List().Where(t => t.Title.Contains(text, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>Removes a ticket; false when there is none with this id.</summary>
    public bool Delete(string id) => _tickets.TryRemove(id, out _);

    private void Add(Ticket ticket) => _tickets[ticket.Id] = ticket;
}
