using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mandate.Core.Approvals;

/// <summary>
/// What binds an approval to one call: SHA-256 over a length-prefixed list of the agent, the delegation chain, the
/// user, the session, the front, the action, the resource, the call's canonical arguments and the policy version. If
/// any of them differs — one argument, the resource, the agent, a policy reload — the approval does not apply.
/// </summary>
public static class ApprovalDigest
{
    /// <summary>The digest (lowercase hex) of the bound facts.</summary>
    public static string Of(string agent, IReadOnlyList<string> chain, string? user, string? session, string front, string action, string resource, string canonicalArguments, string policyVersion)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            var bytes = Encoding.UTF8.GetBytes(text ?? "\u0000");
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        Add(agent);
        Add(chain.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var actor in chain)
        {
            Add(actor);
        }

        Add(user);
        Add(session);
        Add(front);
        Add(action);
        Add(resource);
        Add(canonicalArguments);
        Add(policyVersion);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Canonical JSON of a call's arguments: object members sorted by ordinal name, no whitespace, numbers as sent
    /// (so <c>1</c> and <c>1.0</c> are different arguments), strings re-escaped one way. <c>{}</c> for none.
    /// </summary>
    public static string Canonical(JsonElement? arguments)
    {
        if (arguments is not { } args)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(w, args);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case JsonValueKind.String:
                w.WriteStringValue(e.GetString());
                break;
            case JsonValueKind.Number:
                w.WriteRawValue(e.GetRawText(), skipInputValidation: true);
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
