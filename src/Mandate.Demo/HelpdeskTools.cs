using System.Collections.Concurrent;
using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Mandate.Demo;

/// <summary>
/// The tools of the <see cref="HelpdeskMcpServer"/>: one that reads (<c>search_tickets</c>) and one that destroys
/// (<c>delete_ticket</c>), so the demo can show a task token that holds the first and is refused the second.
/// </summary>
[McpServerToolType]
public sealed class HelpdeskTools
{
    /// <summary>The read tool's name.</summary>
    public const string Search = "search_tickets";

    /// <summary>The destructive tool's name.</summary>
    public const string Delete = "delete_ticket";

    private readonly TicketStore _tickets;
    private readonly ConcurrentQueue<string> _calls;

    /// <summary>Created per call by the SDK.</summary>
    public HelpdeskTools(TicketStore tickets, ConcurrentQueue<string> calls)
    {
        _tickets = tickets;
        _calls = calls;
    }

    /// <summary>The tickets whose title contains <paramref name="query"/>, one line each.</summary>
    [McpServerTool(Name = Search, Title = "Search tickets", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Finds support tickets whose title contains the text (case-insensitive); answers one line per ticket: id, status, title, assignee.")]
    public string SearchTickets([Description("Text to look for in ticket titles, e.g. printer.")] string query)
    {
        _calls.Enqueue($"{Search}:{query}");
        // Plain lines rather than JSON: the answer is itself a JSON string, and nested JSON would reach the reader escaped.
        var found = _tickets.Search(query);
        return found.Count == 0
            ? $"no ticket title contains `{query}`"
            : string.Join('\n', found.Select(t => $"{t.Id} [{t.Status}] {t.Title}" + (t.Assignee is null ? "" : $" (assignee: {t.Assignee})")));
    }

    /// <summary>Deletes the ticket <paramref name="id"/>.</summary>
    [McpServerTool(Name = Delete, Title = "Delete a ticket", Destructive = true, OpenWorld = false)]
    [Description("Deletes a support ticket for good.")]
    public string DeleteTicket([Description("The ticket's id, e.g. 1003.")] string id)
    {
        _calls.Enqueue($"{Delete}:{id}");
        return _tickets.Delete(id) ? $"deleted ticket {id}" : $"there is no ticket {id}";
    }
}
