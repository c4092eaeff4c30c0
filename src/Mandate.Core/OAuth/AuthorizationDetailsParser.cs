using System.Text.Json;

namespace Mandate.Core.OAuth;

/// <summary>
/// Reads RFC 9396 <c>authorization_details</c>: a JSON array of objects, each with a <c>type</c>. Only
/// <c>agent_task</c> is understood; its members are <c>intent</c> (string), <c>actions</c>, <c>tools</c> and
/// <c>resources</c> (arrays of strings). Strict JSON: no repeated member names, no comments, bounded depth.
/// </summary>
public static class AuthorizationDetailsParser
{
    /// <summary>At most this many entries.</summary>
    public const int MaxEntries = 8;

    /// <summary>At most this many strings per array member.</summary>
    public const int MaxItems = 64;

    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 8,
    };

    /// <summary>The parsed entries, or the error.</summary>
    /// <param name="Details">The task declarations.</param>
    /// <param name="Error">Why they were refused.</param>
    public sealed record Result(IReadOnlyList<TaskAuthorizationDetail> Details, OAuthError? Error);

    /// <summary>Parses the parameter's value.</summary>
    public static Result Parse(string json)
    {
        try
        {
            return Read(json);
        }
        catch (InvalidOperationException)
        {
            // `"\ud800"` is valid JSON, but .NET will not read it as a string: the duplicate-name check and every
            // GetString below throw on it. Found by the same audit as the JWS reader's fuzzing finding (fuzz/crashes/jws).
            return Fail("`authorization_details` has a string escaping an unpaired surrogate");
        }
    }

    private static Result Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException)
        {
            return Fail("`authorization_details` is not valid json (or repeats a member name)");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return Fail("`authorization_details` must be a json array");
            }
            if (root.GetArrayLength() > MaxEntries)
            {
                return Fail($"`authorization_details` holds more than {MaxEntries} entries");
            }
            var details = new List<TaskAuthorizationDetail>();
            foreach (var entry in root.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    return Fail("each `authorization_details` entry must be an object");
                }
                if (!entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    return Fail("each `authorization_details` entry needs a string `type`");
                }
                if (type.GetString() != TaskAuthorizationDetail.TypeName)
                {
                    return new Result([], new OAuthError(OAuthErrorCodes.InvalidRequest, "authorization_details type not supported"));
                }
                var intent = "";
                List<string> actions = [], tools = [], resources = [];
                foreach (var member in entry.EnumerateObject())
                {
                    switch (member.Name)
                    {
                        case "type":
                            break;
                        case "intent":
                            if (member.Value.ValueKind != JsonValueKind.String)
                            {
                                return Fail("`intent` must be a string");
                            }
                            intent = member.Value.GetString()!;
                            if (intent.Length > 1024)
                            {
                                return Fail("`intent` is longer than 1024 characters");
                            }
                            break;
                        case "actions":
                        case "tools":
                        case "resources":
                            if (!TryStrings(member.Value, out var values))
                            {
                                return Fail($"`{member.Name}` must be an array of at most {MaxItems} non-empty strings");
                            }
                            (member.Name == "actions" ? actions : member.Name == "tools" ? tools : resources).AddRange(values);
                            break;
                        default:
                            // RFC 9396 §5: an authorization server refuses what it does not understand rather than ignore it.
                            return Fail("`agent_task` has a member it does not define");
                    }
                }
                details.Add(new TaskAuthorizationDetail(intent, actions.Distinct(StringComparer.Ordinal).ToArray(),
                    tools.Distinct(StringComparer.Ordinal).ToArray(), resources.Distinct(StringComparer.Ordinal).ToArray()));
            }
            return new Result(details, null);
        }
    }

    private static bool TryStrings(JsonElement value, out List<string> strings)
    {
        strings = [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxItems)
        {
            return false;
        }
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= 512 } s)
            {
                return false;
            }
            strings.Add(s);
        }
        return true;
    }

    private static Result Fail(string description) => new([], new OAuthError(OAuthErrorCodes.InvalidAuthorizationDetails, description));
}
