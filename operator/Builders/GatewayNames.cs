using System.Security.Cryptography;
using System.Text;
using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>The names of an ApiGateway's children: <c>&lt;gw&gt;-postgres</c>, <c>&lt;gw&gt;-proxy</c>, …</summary>
public static class GatewayNames
{
    public static string Proxy(ApiGateway gw) => $"{gw.Metadata.Name}-proxy";
    public static string Admin(ApiGateway gw) => $"{gw.Metadata.Name}-admin";
    public static string Postgres(ApiGateway gw) => $"{gw.Metadata.Name}-postgres";
    public static string Redis(ApiGateway gw) => $"{gw.Metadata.Name}-redis";
    public static string AdminToken(ApiGateway gw) => $"{gw.Metadata.Name}-admin-token";

    /// <summary>The ServiceAccount the gateway's pods run under.</summary>
    public static string Identity(ApiGateway gw) => $"{gw.Metadata.Name}-proxy";

    /// <summary>The image every proxy and migration pod of this spec runs.</summary>
    public static string ProxyImage(ApiGateway gw) => $"{gw.Spec.Proxy.Image}:{gw.Spec.Version}";

    /// <summary>
    /// One migration Job per proxy image: <c>&lt;gw&gt;-migrate-&lt;hash of image and version&gt;</c>. A new
    /// version gets a new Job, and a Job that already ran is never run again.
    /// </summary>
    public static string MigrationJob(ApiGateway gw) => $"{gw.Metadata.Name}-migrate-{ImageHash(ProxyImage(gw))}";

    public static string ImageHash(string image) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)))[..10];
}
