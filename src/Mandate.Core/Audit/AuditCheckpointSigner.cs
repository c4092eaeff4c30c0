using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mandate.Core.Audit;

/// <summary>Signs and checks checkpoints with ES256 (ECDSA P-256, SHA-256).</summary>
public static class AuditCheckpointSigner
{
    /// <summary>The signed bytes: canonical JSON <c>{"hash":…,"key_id":…,"seq":…,"time":…,"type":"mandate.audit.checkpoint/v1"}</c>.</summary>
    public static byte[] Payload(long seq, string hash, string time, string keyId)
    {
        var o = CanonicalJsonWriter.NewObject();
        o["type"] = "mandate.audit.checkpoint/v1";
        o["seq"] = seq;
        o["hash"] = hash;
        o["time"] = time;
        o["key_id"] = keyId;
        return CanonicalJsonWriter.ToUtf8(o);
    }

    /// <summary>Key id: first 16 hex chars of SHA-256 over the public key's SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>Creates a signed checkpoint for the record <paramref name="seq"/> with hash <paramref name="hash"/>.</summary>
    public static AuditCheckpoint Sign(ECDsa privateKey, long seq, string hash, DateTimeOffset time)
    {
        var keyId = KeyIdOf(privateKey);
        var timeText = AuditRecordFormat.FormatTime(time);
        var signature = privateKey.SignData(Payload(seq, hash, timeText, keyId), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint(seq, hash, timeText, keyId, Base64Url.EncodeToString(signature));
    }

    /// <summary>True when the checkpoint's signature verifies with <paramref name="publicKey"/> and names that key.</summary>
    public static bool Verify(ECDsa publicKey, AuditCheckpoint checkpoint)
    {
        if (checkpoint.KeyId != KeyIdOf(publicKey))
        {
            return false;
        }
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return publicKey.VerifyData(Payload(checkpoint.Seq, checkpoint.Hash, checkpoint.Time, checkpoint.KeyId), signature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
