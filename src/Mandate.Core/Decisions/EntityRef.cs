namespace Mandate.Core.Decisions;

/// <summary>A Cedar entity reference: a fully qualified type (<c>Mandate::Ticket</c>) and an id.</summary>
/// <param name="Type">Fully qualified entity type name.</param>
/// <param name="Id">Entity id (any string).</param>
public sealed record EntityRef(string Type, string Id)
{
    /// <summary>The Cedar text form, e.g. <c>Mandate::Ticket::"42"</c>.</summary>
    public override string ToString() => $"{Type}::\"{Id.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
}
