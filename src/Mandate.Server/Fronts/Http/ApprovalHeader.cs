using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>The <c>Mandate-Approval</c> request header: the approval a retried call uses.</summary>
public static class ApprovalHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "Mandate-Approval";

    /// <summary>The approval id, or null when absent. Several values are one value that matches no approval (refused, never guessed).</summary>
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[Name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(",", values.ToArray()),
        };
    }
}
