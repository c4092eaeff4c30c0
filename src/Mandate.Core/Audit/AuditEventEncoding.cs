namespace Mandate.Core.Audit;

/// <summary>
/// Writes an <see cref="AuditEvent"/> as a binary record (format 2): its fields in <see cref="AuditField"/> order, each
/// left out when null or empty, so an optional field (the trace id) costs nothing when absent.
/// </summary>
public static class AuditEventEncoding
{
    /// <summary>Writes the fields of <paramref name="e"/> into the record <paramref name="writer"/> has begun.
    /// Throws <see cref="ArgumentException"/> for text that is not valid UTF-16.</summary>
    public static void Write(AuditRecordWriter writer, AuditEvent e)
    {
        writer.Text(AuditField.Kind, e.Kind);
        writer.Id(e.DecisionId);
        writer.Time(e.Time);
        writer.TextUnlessEmpty(AuditField.Node, e.Node);
        writer.TextUnlessEmpty(AuditField.TraceId, e.TraceId);
        writer.Text(AuditField.SessionId, e.SessionId);
        writer.Text(AuditField.Agent, e.Agent);
        writer.Text(AuditField.User, e.User);
        writer.List(AuditField.Chain, e.Chain);
        writer.Text(AuditField.Action, e.Action);
        writer.Text(AuditField.Resource, e.Resource);
        writer.Text(AuditField.RequestDigest, e.RequestDigest);
        writer.Text(AuditField.Decision, e.Decision);
        writer.List(AuditField.Policies, e.Policies);
        writer.List(AuditField.Errors, e.Errors);
        writer.List(AuditField.Reasons, e.Reasons);
        writer.Number(AuditField.Status, e.Status);
        writer.Number(AuditField.Bytes, e.Bytes);
        writer.Number(AuditField.LatencyMicros, e.LatencyMicros);
        if (e.Details.Count > 0)
        {
            writer.BeginDetails();
            foreach (var (key, value) in e.Details)
            {
                writer.Detail(key, value);
            }
            writer.EndDetails();
        }
    }
}
