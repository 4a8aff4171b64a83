#include <gtest/gtest.h>

#include "test_util.h"

namespace mindcards {
namespace {

using testing::RunCli;

TEST(CliTest, VersionAndHelp) {
  auto r = RunCli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("mindcards ", 0), 0u);
  r = RunCli({"help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("convert"), std::string::npos);
}

TEST(CliTest, BadUsageExitsTwo) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"convert"}).exit_code, 2);
  EXPECT_EQ(RunCli({"convert", "-", "--bogus"}, "x\n").exit_code, 2);
  auto r = RunCli({"convert", "-", "-t", "nope"}, "x\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot write format 'nope'"), std::string::npos);
}

TEST(CliTest, ConvertFromStdinToStdout) {
  auto r = RunCli({"convert", "-", "-f", "outline"}, "root\n  child\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "root\n  child\n");
}

TEST(CliTest, BadInputExitsOneWithPosition) {
  auto r = RunCli({"convert", "-", "-f", "outline"}, "a\nb\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("<stdin>:2:1: ", 0), 0u) << r.err;
  r = RunCli({"info", "/nonexistent/map.mm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "/nonexistent/map.mm: cannot open: No such file or directory\n");
}

}  // namespace
}  // namespace mindcards
