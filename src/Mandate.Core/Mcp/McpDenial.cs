using Mandate.Core.Errors;
using System.Buffers;
using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// The JSON-RPC error for a call a policy denied: code <see cref="JsonRpcErrorCodes.PolicyDenied"/> (-32001),
/// message "Denied by policy", and <c>data</c> = <c>{rule: "policy.deny", decisionId, policies, reasons}</c>, the
/// same facts the HTTP front puts in its problem+json, so an agent can read why and correct itself.
/// </summary>
public static class McpDenial
{
    /// <summary>The message of every policy denial.</summary>
    public const string Message = "Denied by policy";

    /// <summary>Builds the error and its data (pass both to <see cref="JsonRpcErrors.Write(Utf8JsonWriter, JsonRpcId?, JsonRpcError, JsonElement?)"/>).</summary>
    /// <param name="decisionId">The decision id (also in the audit log and <c>X-Mandate-Decision-Id</c>).</param>
    /// <param name="policies">Ids of the determining policies.</param>
    /// <param name="reasons">Their <c>@reason</c> texts.</param>
    public static (JsonRpcError Error, JsonElement Data) Error(string decisionId, IReadOnlyList<string> policies, IReadOnlyList<string> reasons)
    {
        var error = new JsonRpcError(ErrorCatalogue.PolicyDeny, Message);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonRpcErrors.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("rule", ErrorCatalogue.PolicyDeny.Code);
            writer.WriteString("decisionId", decisionId);
            writer.WriteStartArray("policies");
            foreach (var p in policies)
            {
                writer.WriteStringValue(p);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("reasons");
            foreach (var r in reasons)
            {
                writer.WriteStringValue(r);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return (error, JsonElement.ParseValue(ref reader));
    }

    /// <summary>The whole error response for request <paramref name="id"/>, as bytes.</summary>
    public static byte[] Response(JsonRpcId? id, string decisionId, IReadOnlyList<string> policies, IReadOnlyList<string> reasons)
    {
        var (error, data) = Error(decisionId, policies, reasons);
        return JsonRpcErrors.ToBytes(id, error, data);
    }
}
