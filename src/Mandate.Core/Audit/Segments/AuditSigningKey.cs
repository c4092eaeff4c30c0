using System.Security.Cryptography;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// The checkpoint signing key: ECDSA P-256 in <c>audit-signing-key.pem</c> (PKCS#8, mode 600), with its public half in
/// <c>audit-signing-key.pub.pem</c>. Created on first start.
/// </summary>
public static class AuditSigningKey
{
    /// <summary>File name of the private key inside the data directory.</summary>
    public const string PrivateKeyFile = "audit-signing-key.pem";

    /// <summary>File name of the public key inside the data directory.</summary>
    public const string PublicKeyFile = "audit-signing-key.pub.pem";

    /// <summary>Loads the private key from <paramref name="dataDirectory"/>, creating it (and the public file) if absent.</summary>
    public static ECDsa LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, PrivateKeyFile);
        if (!File.Exists(path))
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            try
            {
                // CreateNew + mode 600 at creation: the key is never readable by others, not even briefly.
                using var stream = SegmentFiles.CreatePrivate(path);
                using var writer = new StreamWriter(stream);
                writer.Write(created.ExportPkcs8PrivateKeyPem());
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        var publicPath = Path.Combine(dataDirectory, PublicKeyFile);
        if (!File.Exists(publicPath))
        {
            File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        }
        return key;
    }

    /// <summary>Loads a public key (or a private key, whose public half is used) from a PEM file.</summary>
    public static ECDsa LoadPublic(string pemPath)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pemPath));
        return key;
    }
}
