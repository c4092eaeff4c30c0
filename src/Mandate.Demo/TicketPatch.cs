namespace Mandate.Demo;

/// <summary>Body of <c>PATCH /tickets/{id}</c>: the fields to change (absent = unchanged).</summary>
/// <param name="Title">New title.</param>
/// <param name="Status">New status: <c>open</c> or <c>closed</c>.</param>
/// <param name="Assignee">New assignee.</param>
public sealed record TicketPatch(string? Title, string? Status, string? Assignee);
