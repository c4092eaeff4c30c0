using System.Reflection;

namespace Mandate.Core.Errors;

/// <summary>
/// Every stable code Mandate answers or records, defined once with its HTTP status, title, JSON-RPC code and OAuth
/// error (<see cref="ErrorCode"/>). Grouped by family in the partial files beside this one; <c>docs/errors.md</c>
/// lists them all, and a test holds the two equal.
/// </summary>
public static partial class ErrorCatalogue
{
    // Titles of problem+json answers, one per status: a title says what kind of refusal, the code says which.
    internal const string BadRequest = "bad request";
    internal const string BadPath = "bad request path";
    internal const string Unauthenticated = "unauthenticated";
    internal const string Forbidden = "forbidden";
    internal const string NotFound = "not found";
    internal const string MethodNotAllowed = "method not allowed";
    internal const string PayloadTooLarge = "payload too large";
    internal const string UnsupportedMediaType = "unsupported media type";
    internal const string Unavailable = "service unavailable";
    internal const string BadGateway = "bad gateway";
    internal const string GatewayTimeout = "gateway timeout";
    internal const string Allowed = "allowed";

    // JSON-RPC 2.0 error codes (§5.1), and the implementation-defined one Mandate uses for a refused call.
    internal const int ParseError = -32700;
    internal const int InvalidRequest = -32600;
    internal const int MethodNotFound = -32601;
    internal const int InvalidParams = -32602;
    internal const int InternalError = -32603;
    internal const int Refused = -32001;

    // MCP 2026-07-28 reserves -32020..-32099 for codes the specification defines; Mandate emits these two with their meaning.
    internal const int HeaderMismatch = -32020;
    internal const int UnsupportedProtocolVersion = -32022;

    private static readonly Lazy<IReadOnlyDictionary<string, ErrorCode>> ByCode = new(() =>
        typeof(ErrorCatalogue).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!)
            .ToDictionary(c => c.Code, StringComparer.Ordinal));

    /// <summary>Every code, ordered by its text.</summary>
    public static IReadOnlyList<ErrorCode> All => ByCode.Value.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();

    /// <summary>The entry for <paramref name="code"/>, or null when no such code is defined.</summary>
    public static ErrorCode? Find(string code) => ByCode.Value.GetValueOrDefault(code);
}
