// The signer against the examples of the S3 documentation, "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk (AWS Signature Version 4)".
#include "storage/sigv4.hpp"

#include <gtest/gtest.h>

#include "core/hash.hpp"

namespace loadcast::sigv4 {
namespace {

const Credentials kCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                               ""};
const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kHost = "examplebucket.s3.amazonaws.com";

Request GetObjectWithRange() {
  return {.method = "GET",
          .path = "/test.txt",
          .query = {},
          .headers = {{"Host", kHost},
                      {"Range", "bytes=0-9"},
                      {"x-amz-content-sha256", kEmptyHash},
                      {"x-amz-date", "20130524T000000Z"}},
          .payload_hash = kEmptyHash};
}

TEST(Sigv4Test, GetObjectCanonicalRequestMatchesAwsExample) {
  EXPECT_EQ(CanonicalRequest(GetObjectWithRange()),
            "GET\n"
            "/test.txt\n"
            "\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "range:bytes=0-9\n"
            "x-amz-content-sha256:" +
                kEmptyHash +
                "\n"
                "x-amz-date:20130524T000000Z\n"
                "\n"
                "host;range;x-amz-content-sha256;x-amz-date\n" +
                kEmptyHash);
}

TEST(Sigv4Test, GetObjectStringToSignAndSignatureMatchAwsExample) {
  const Signature s = Sign(GetObjectWithRange(), kCredentials, "us-east-1");
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n"
            "20130524T000000Z\n"
            "20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(Sigv4Test, PutObjectEncodesDollarAndMatchesAwsExample) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string hash = Sha256Hex(body);
  ASSERT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const Request put{.method = "PUT",
                    .path = "/test$file.text",
                    .query = {},
                    .headers = {{"Host", kHost},
                                {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                {"x-amz-date", "20130524T000000Z"},
                                {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                                {"x-amz-content-sha256", hash}},
                    .payload_hash = hash};
  const Signature s = Sign(put, kCredentials, "us-east-1");
  EXPECT_EQ(s.canonical_request,
            "PUT\n"
            "/test%24file.text\n"
            "\n"
            "date:Fri, 24 May 2013 00:00:00 GMT\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:" +
                hash +
                "\n"
                "x-amz-date:20130524T000000Z\n"
                "x-amz-storage-class:REDUCED_REDUNDANCY\n"
                "\n"
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
                hash);
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n"
            "20130524T000000Z\n"
            "20130524/us-east-1/s3/aws4_request\n"
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(s.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(Sigv4Test, GetBucketLifecycleSignsValuelessQueryParameter) {
  const Request get{.method = "GET",
                    .path = "/",
                    .query = {{"lifecycle", ""}},
                    .headers = {{"Host", kHost},
                                {"x-amz-date", "20130524T000000Z"},
                                {"x-amz-content-sha256", kEmptyHash}},
                    .payload_hash = kEmptyHash};
  const Signature s = Sign(get, kCredentials, "us-east-1");
  EXPECT_EQ(s.canonical_request.substr(0, 17), "GET\n/\nlifecycle=\n");
  EXPECT_EQ(s.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(Sigv4Test, ListObjectsSortsQueryParameters) {
  const Request get{.method = "GET",
                    .path = "/",
                    .query = {{"prefix", "J"}, {"max-keys", "2"}},
                    .headers = {{"Host", kHost},
                                {"x-amz-date", "20130524T000000Z"},
                                {"x-amz-content-sha256", kEmptyHash}},
                    .payload_hash = kEmptyHash};
  const Signature s = Sign(get, kCredentials, "us-east-1");
  EXPECT_EQ(s.canonical_request.substr(0, 26), "GET\n/\nmax-keys=2&prefix=J\n");
  EXPECT_EQ(s.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(Sigv4Test, UriEncodeFollowsS3Rules) {
  EXPECT_EQ(UriEncode("a b/c~d_e-f.g", /*encode_slash=*/false), "a%20b/c~d_e-f.g");
  EXPECT_EQ(UriEncode("a/b+c=d&e", /*encode_slash=*/true), "a%2Fb%2Bc%3Dd%26e");
  EXPECT_EQ(UriEncode("\xc3\xa8", /*encode_slash=*/false), "%C3%A8");  // UTF-8 of 'è'
  EXPECT_EQ(CanonicalUri(""), "/");
  EXPECT_EQ(CanonicalUri("/bucket/actuals/2020 v1.csv"), "/bucket/actuals/2020%20v1.csv");
}

TEST(Sigv4Test, CanonicalHeadersTrimAndCollapseSpaces) {
  const Request r{
      .method = "GET",
      .path = "/",
      .query = {},
      .headers = {{"X-Amz-Date", "20130524T000000Z"}, {"My-Header", "  a   b  c "}, {"HOST", "h"}},
      .payload_hash = kEmptyHash};
  EXPECT_EQ(CanonicalRequest(r),
            "GET\n/\n\nhost:h\nmy-header:a b c\nx-amz-date:20130524T000000Z\n\n"
            "host;my-header;x-amz-date\n" +
                kEmptyHash);
}

TEST(Sigv4Test, AmzDateIsBasicIso8601InUtc) {
  EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z");
  EXPECT_EQ(AmzDate(1369353600 + 3661), "20130524T010101Z");
}

}  // namespace
}  // namespace loadcast::sigv4
