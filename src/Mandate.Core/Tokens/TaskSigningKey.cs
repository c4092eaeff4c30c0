using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Tokens;

/// <summary>One ES256 key in memory: the stored record, the live key, and its public JWK.</summary>
public sealed class TaskSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private TaskSigningKey(TaskSigningKeyRecord record, ECDsa key)
    {
        Record = record;
        _key = key;
        var p = key.ExportParameters(includePrivateParameters: false);
        X = Base64UrlEncoder.Encode(p.Q.X!);
        Y = Base64UrlEncoder.Encode(p.Q.Y!);
        // A factory (and provider cache) per key: IdentityModel's shared cache is keyed by kid and public key, so after
        // this key is disposed and loaded again in the same process (a restart in tests) it would sign with the dead ECDsa.
        Credentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = record.KeyId }, SecurityAlgorithms.EcdsaSha256)
        {
            // With its own cache: a bare `new CryptoProviderFactory()` caches nothing and builds a provider per token.
            CryptoProviderFactory = new CryptoProviderFactory(new InMemoryCryptoProviderCache()),
        };
    }

    /// <summary>The stored form.</summary>
    public TaskSigningKeyRecord Record { get; }

    /// <summary>The kid.</summary>
    public string KeyId => Record.KeyId;

    /// <summary>The public key's x coordinate, base64url.</summary>
    public string X { get; }

    /// <summary>The public key's y coordinate, base64url.</summary>
    public string Y { get; }

    /// <summary>IdentityModel signing credentials over this key.</summary>
    public SigningCredentials Credentials { get; }

    /// <summary>Creates a fresh P-256 key that starts signing at <paramref name="now"/>.</summary>
    public static TaskSigningKey Create(DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Thumbprint(key.ExportParameters(false));
        return new TaskSigningKey(new TaskSigningKeyRecord(kid, "ES256", key.ExportPkcs8PrivateKey(), now, null), key);
    }

    /// <summary>Loads a stored key; the kid is recomputed and must match, so a swapped key row is refused.</summary>
    /// <exception cref="TaskTokenStoreException">The stored key is unreadable or its kid does not match.</exception>
    public static TaskSigningKey Load(TaskSigningKeyRecord record)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(record.PrivateKeyPkcs8, out _);
            var p = key.ExportParameters(false);
            if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value || record.Algorithm != "ES256" || Thumbprint(p) != record.KeyId)
            {
                throw new TaskTokenStoreException($"stored signing key `{record.KeyId}` does not match its kid or is not ES256");
            }
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new TaskTokenStoreException($"stored signing key `{record.KeyId}` cannot be read", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        return new TaskSigningKey(record, key);
    }

    /// <summary>The same key with its retirement time set.</summary>
    public TaskSigningKey Retire(DateTimeOffset at) => Load(Record with { RetiredAt = at });

    /// <summary>Verifies an ES256 signature (IEEE P1363, r||s) over <paramref name="signingInput"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256);

    /// <summary>RFC 7638 JWK thumbprint (SHA-256, base64url) of a P-256 public key.</summary>
    public static string Thumbprint(ECParameters p)
    {
        // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
        var json = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64UrlEncoder.Encode(p.Q.X!)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y!)}}"}""";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
