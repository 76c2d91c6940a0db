// Signing keys at rest: sealed with a key file outside the database; a backup or the database file
// holds no key in clear, and the wrong or a missing key file is refused clearly.
#include <fstream>
#include <iterator>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/store/key_box.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

std::string file_bytes(const std::string& path) {
	std::ifstream f(path, std::ios::binary);
	return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string as_string(const SigningKey& k) {
	return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}

std::span<const uint8_t> span_of(const std::string& s) {
	return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

mode_t mode_of(const std::string& path) {
	struct stat st {};
	EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
	return st.st_mode & 0777;
}

} // namespace

TEST(KeyBox, SealsAndOpensOnlyForTheSameServerAndKey) {
	KeyBox::Key k{};
	k.fill(7);
	KeyBox box(k);
	SigningKey key{};
	for (size_t i = 0; i < key.size(); ++i)
		key[i] = static_cast<uint8_t>(i);
	std::string sealed = box.seal(key, 42);
	EXPECT_EQ(sealed.size(), KeyBox::kSealedSize);
	EXPECT_EQ(sealed.find(as_string(key)), std::string::npos);
	EXPECT_NE(box.seal(key, 42), sealed); // a fresh nonce each time
	EXPECT_EQ(box.open(span_of(sealed), 42).value(), key);
	// Copied onto another server's row, it does not open.
	EXPECT_FALSE(box.open(span_of(sealed), 43).ok());
	for (size_t i = 0; i < sealed.size(); ++i) {
		std::string t = sealed;
		t[i] = static_cast<char>(t[i] ^ 0x01);
		EXPECT_FALSE(box.open(span_of(t), 42).ok()) << "byte " << i;
	}
	KeyBox::Key other{};
	other.fill(8);
	auto wrong = KeyBox(other).open(span_of(sealed), 42);
	ASSERT_FALSE(wrong.ok());
	EXPECT_NE(wrong.error().message.find("another store key file"), std::string::npos);
	EXPECT_FALSE(box.open(span_of(sealed.substr(0, 60)), 42).ok());
	EXPECT_NE(box.key_id(), KeyBox(other).key_id());
}

TEST(KeyBox, TheKeyFileIsCreatedPrivateAndCheckedOnEveryLoad) {
	TempDir dir;
	std::string path = dir.file("keys/store.key");
	EXPECT_FALSE(KeyBox::load(path, false).ok());
	auto box = KeyBox::load(path, true);
	ASSERT_TRUE(box.ok()) << box.error().message;
	EXPECT_EQ(mode_of(path), 0600u);
	EXPECT_EQ(mode_of(dir.file("keys")), 0700u);
	EXPECT_EQ(file_bytes(path).size(), 65u);
	EXPECT_EQ(KeyBox::load(path, true).value().key_id(), box->key_id()); // never replaced

	::chmod(path.c_str(), 0640);
	auto loose = KeyBox::load(path, true);
	ASSERT_FALSE(loose.ok());
	EXPECT_NE(loose.error().message.find("readable by others (mode 640)"), std::string::npos)
	    << loose.error().message;
	::chmod(path.c_str(), 0600);
	{ std::ofstream(path, std::ios::trunc) << "not hex at all\n"; }
	auto bad = KeyBox::load(path, true);
	ASSERT_FALSE(bad.ok());
	EXPECT_NE(bad.error().message.find("malformed"), std::string::npos);
}

TEST(StoreKeys, ADatabaseCopyHoldsNoSigningKeyInClear) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	auto s = open_sqlite_store(path).value();
	std::vector<SigningKey> keys;
	std::vector<uint64_t> ids;
	for (int i = 0; i < 20; ++i) {
		auto e = enroll_server(*s, int64_t{1000 + i}, "server-" + std::to_string(i), T0).value();
		keys.push_back(derive_signing_key(parse_token(e.token).value()));
		ids.push_back(e.server_id);
	}
	// Rotations and deletions leave old key versions behind in a naive store.
	for (int i = 0; i < 5; ++i) {
		auto t = rotate_token(*s, ids[static_cast<size_t>(i)]).value();
		ASSERT_TRUE(t);
		keys.push_back(derive_signing_key(parse_token(*t).value()));
	}
	ASSERT_TRUE(s->delete_server(ids[10]).value());
	for (int i = 0; i < 3; ++i)
		ASSERT_TRUE(
		    s->append({{ids[static_cast<size_t>(i)], serversan::testing::sample_batch(1, 5, T0), T0}}).ok());
	// Ingest still gets the plain key.
	EXPECT_EQ(s->find_server(ids[15]).value()->signing_key, keys[15]);
	EXPECT_EQ(s->find_server(ids[0]).value()->signing_key, keys[20]);

	std::string backup = dir.file("copy.db");
	auto info = s->backup(backup);
	ASSERT_TRUE(info.ok()) << info.error().message;
	std::string copy = file_bytes(backup);
	ASSERT_GT(copy.size(), 4096u);
	std::string live = file_bytes(path) + file_bytes(path + "-wal");
	for (size_t i = 0; i < keys.size(); ++i) {
		EXPECT_EQ(copy.find(as_string(keys[i])), std::string::npos) << "key " << i << " in the backup";
		EXPECT_EQ(live.find(as_string(keys[i])), std::string::npos) << "key " << i << " in the database";
	}
	EXPECT_EQ(mode_of(path), 0600u); // a new database is private too
	// The copy is useless without the key file, and useful with it.
	StoreOptions o;
	o.path = backup;
	o.key_file = dir.file("keys/store.key");
	auto restored = open_store(o).value();
	EXPECT_EQ(restored->find_server(ids[15]).value()->signing_key, keys[15]);
}

TEST(StoreKeys, AMissingOrWrongKeyFileIsRefusedAndChangesNothing) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	{
		auto s = open_sqlite_store(path).value();
		ASSERT_TRUE(s->create_server(std::nullopt, "x", SigningKey{}, T0).ok());
	}
	std::string key_file = dir.file("keys/store.key");
	std::string saved = file_bytes(key_file);
	std::filesystem::remove(key_file);
	std::string before = file_bytes(path);
	auto missing = open_sqlite_store(path);
	ASSERT_FALSE(missing.ok());
	EXPECT_NE(missing.error().message.find("is missing"), std::string::npos) << missing.error().message;
	EXPECT_NE(missing.error().message.find("restore that key file"), std::string::npos);
	EXPECT_FALSE(std::filesystem::exists(key_file)); // no new key made behind the user's back
	EXPECT_EQ(file_bytes(path), before);

	// Another valid key file: refused, not used to garble the keys.
	ASSERT_TRUE(KeyBox::load(key_file, true).ok());
	auto wrong = open_sqlite_store(path);
	ASSERT_FALSE(wrong.ok());
	EXPECT_NE(wrong.error().message.find("is not the one this database was sealed with"), std::string::npos)
	    << wrong.error().message;

	{
		std::ofstream f(key_file, std::ios::trunc | std::ios::binary);
		f << saved;
	}
	auto right = open_sqlite_store(path);
	ASSERT_TRUE(right.ok()) << right.error().message;
	EXPECT_EQ((*right)->list_servers().value().size(), 1u);
}

TEST(StoreKeys, EveryRotationBumpsTheKeyVersionAndAppendRefusesOldVersions) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("a.db")).value();
	SigningKey k1{}, k2{};
	k1.fill(1);
	k2.fill(2);
	uint64_t id = s->create_server(std::nullopt, "web", k1, T0).value();
	EXPECT_EQ(s->find_server(id).value()->key_version, 1u);
	ASSERT_TRUE(s->set_signing_key(id, k2).value());
	auto rec = s->find_server(id).value();
	EXPECT_EQ(rec->key_version, 2u);
	EXPECT_EQ(rec->signing_key, k2);
	EXPECT_EQ(s->list_servers().value().front().key_version, 2u);

	// A batch verified with version 1 (before the rotation) stores nothing; version 2 does.
	std::vector<IngestBatch> old{{id, serversan::testing::sample_batch(1, 3, T0), T0, 1}};
	auto o = s->append(old).value();
	ASSERT_EQ(o.size(), 1u);
	EXPECT_TRUE(o[0].key_changed);
	EXPECT_EQ(o[0].accepted, 0u);
	EXPECT_EQ(s->count_samples(id).value(), 0u);
	EXPECT_FALSE(s->find_server(id).value()->last_seen_ms); // not even touched

	std::vector<IngestBatch> cur{{id, serversan::testing::sample_batch(1, 3, T0), T0, 2}};
	o = s->append(cur).value();
	EXPECT_FALSE(o[0].key_changed);
	EXPECT_EQ(o[0].accepted, 3u);
	EXPECT_EQ(s->count_samples(id).value(), 3u);

	// A deleted server: its batch is a changed key too, and the others of the group still land.
	uint64_t other = s->create_server(std::nullopt, "db", k1, T0).value();
	ASSERT_TRUE(s->delete_server(id).value());
	std::vector<IngestBatch> mixed{{id, serversan::testing::sample_batch(4, 1, T0 + 60'000), T0, 2},
	                               {other, serversan::testing::sample_batch(1, 2, T0), T0, 1}};
	o = s->append(mixed).value();
	ASSERT_EQ(o.size(), 2u);
	EXPECT_TRUE(o[0].key_changed);
	EXPECT_FALSE(o[1].key_changed);
	EXPECT_EQ(o[1].accepted, 2u);
}

TEST(StoreKeys, ARotationOrDeletionByAnotherProcessIsSeenForServersThatReportedBefore) {
	// The writer remembers which servers have reported and checks their key version in the
	// last-seen update itself; a second store on the same file plays `serversan-server` run by
	// hand while the server runs.
	TempDir dir;
	auto s = open_sqlite_store(dir.file("a.db")).value();
	SigningKey k1{}, k2{};
	k1.fill(1);
	k2.fill(2);
	uint64_t a = s->create_server(std::nullopt, "web", k1, T0).value();
	uint64_t b = s->create_server(std::nullopt, "db", k1, T0).value();
	for (uint64_t id : {a, b})
		ASSERT_EQ(s->append({{id, serversan::testing::sample_batch(1, 2, T0), T0, 1}}).value()[0].accepted,
		          2u);
	ASSERT_EQ(s->append({{a, serversan::testing::sample_batch(3, 1, T0 + 60'000), T0 + 60'000, 1}})
	              .value()[0]
	              .accepted,
	          1u);

	auto other = open_sqlite_store(dir.file("a.db")).value();
	ASSERT_TRUE(other->set_signing_key(a, k2).value());
	ASSERT_TRUE(other->delete_server(b).value());

	auto o = s->append({{a, serversan::testing::sample_batch(4, 1, T0 + 120'000), T0 + 120'000, 1},
	                    {b, serversan::testing::sample_batch(3, 1, T0 + 120'000), T0 + 120'000, 1}})
	             .value();
	EXPECT_TRUE(o[0].key_changed);
	EXPECT_TRUE(o[1].key_changed);
	EXPECT_EQ(o[0].accepted + o[1].accepted, 0u);
	EXPECT_EQ(s->count_samples(a).value(), 3u);
	EXPECT_EQ(s->find_server(a).value()->last_seen_ms, T0 + 60'000); // not touched
	// With the new version the same report lands, and last seen moves.
	o = s->append({{a, serversan::testing::sample_batch(4, 1, T0 + 120'000), T0 + 120'000, 2}}).value();
	EXPECT_EQ(o[0].accepted, 1u);
	EXPECT_EQ(s->find_server(a).value()->last_seen_ms, T0 + 120'000);
	// A batch of duplicates only still shows the agent is alive.
	o = s->append({{a, serversan::testing::sample_batch(4, 1, T0 + 120'000), T0 + 180'000, 2}}).value();
	EXPECT_EQ(o[0].duplicates, 1u);
	EXPECT_EQ(s->find_server(a).value()->last_seen_ms, T0 + 180'000);
	EXPECT_EQ(s->count_samples(a).value(), 4u);
}
