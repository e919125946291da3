package dev.silo.activities.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.database.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void givenStatementsWithComments_whenSplit_itShouldTrimThemAndKeepLeadingCommentsAsTheCliDoes() {
    List<Statement> statements =
        SqlScript.split(
            "-- first\ncreate table a (id int);\n\n  /* second */ insert into a values (1) ;;\n   \n");

    assertThat(statements)
        .containsExactly(
            new Statement("-- first\ncreate table a (id int)", 1),
            new Statement("/* second */ insert into a values (1)", 4));
  }

  @Test
  void givenSemicolonsInsideLiteralsAndComments_whenSplit_itShouldNotSplitThere() {
    List<String> statements =
        sql(
            "select 'a;b', 'it''s;', \"odd;\"\"name\" from t; -- tail; comment\n"
                + "select 1 /* one; /* nested; */ still; */ + 1;\n"
                + "select E'back\\'slash;', U&'d\\0061t;a';\n"
                + "select $1, a$b$c from t;");

    assertThat(statements)
        .containsExactly(
            "select 'a;b', 'it''s;', \"odd;\"\"name\" from t",
            "-- tail; comment\nselect 1 /* one; /* nested; */ still; */ + 1",
            "select E'back\\'slash;', U&'d\\0061t;a'",
            "select $1, a$b$c from t");
  }

  @Test
  void givenDollarQuotedBodies_whenSplit_itShouldKeepEachBodyInOneStatement() {
    List<String> statements =
        sql(
            "create function f() returns void language plpgsql as $$ begin perform 1; end; $$;\n"
                + "do $outer$ begin execute $inner$select 1;$inner$; end $outer$;\n"
                + "select 2");

    assertThat(statements)
        .containsExactly(
            "create function f() returns void language plpgsql as $$ begin perform 1; end; $$",
            "do $outer$ begin execute $inner$select 1;$inner$; end $outer$",
            "select 2");
  }

  @Test
  void givenBeginAtomicBodyWithCase_whenSplit_itShouldEndTheStatementAtTheBodysEnd() {
    List<String> statements =
        sql(
            "create function g(n int) returns text language sql\n"
                + "BEGIN ATOMIC\n"
                + "  select case when n > 0 then 'p' else 'n' end;\n"
                + "  select 'x';\n"
                + "END;\n"
                + "select 3;");

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0)).startsWith("create function g").endsWith("END");
    assertThat(statements.get(1)).isEqualTo("select 3");
  }

  @Test
  void givenSemicolonsInParentheses_whenSplit_itShouldNotSplitInsideThem() {
    assertThat(sql("create rule r as on insert to t do also (insert into a values (1); insert into b values (2));"))
        .containsExactly(
            "create rule r as on insert to t do also (insert into a values (1); insert into b values (2))");
  }

  @Test
  void givenAnErrorPosition_whenLocated_itShouldNameTheFileLineAndColumn() {
    Statement statement = SqlScript.split("select 1;\n\nselect *\n  from missing;").get(1);

    assertThat(statement.line()).isEqualTo(3);
    assertThat(statement.locate(17)).isEqualTo("line 4, column 8");
    assertThat(statement.lineAt(17)).isEqualTo("  from missing");
  }

  @Test
  void givenAStatement_whenItsLeadingTokensAreRead_itShouldSkipCommentsAndUpperCaseWords() {
    assertThat(SqlScript.leadingTokens("-- note\n/* x */ commit work", 3))
        .containsExactly("COMMIT", "WORK");
    assertThat(SqlScript.leadingTokens("rollback to savepoint a", 3))
        .containsExactly("ROLLBACK", "TO", "SAVEPOINT");
  }

  @Test
  void givenAnEmptyOrBlankFile_whenSplit_itShouldHaveNoStatements() {
    assertThat(SqlScript.split("")).isEmpty();
    assertThat(SqlScript.split(" \n ; ;\n")).isEmpty();
  }

  private static List<String> sql(String text) {
    return SqlScript.split(text).stream().map(Statement::sql).toList();
  }
}
