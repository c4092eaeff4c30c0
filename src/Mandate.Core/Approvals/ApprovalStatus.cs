namespace Mandate.Core.Approvals;

/// <summary>Where an approval request is in its life: pending → approved or denied; approved → consumed (once); any open one → expired.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a person.</summary>
    Pending,

    /// <summary>Granted, not yet used: the next call with exactly the bound facts uses it.</summary>
    Approved,

    /// <summary>Refused by a person.</summary>
    Denied,

    /// <summary>Used by the one call it was granted for; never again.</summary>
    Consumed,

    /// <summary>Neither decided nor used in time.</summary>
    Expired,
}

/// <summary>The status names on the wire and in records.</summary>
public static class ApprovalStatusNames
{
    /// <summary><c>pending</c>, <c>approved</c>, <c>denied</c>, <c>consumed</c>, <c>expired</c>.</summary>
    public static string Name(this ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Denied => "denied",
        ApprovalStatus.Consumed => "consumed",
        _ => "expired",
    };
}
