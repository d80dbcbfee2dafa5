"""Reading an org-chart CSV: every bad line refused with its line number and reason, the good ones read."""

from bot.rules.org_chart import managers_outside, read_org_csv, slack_refusals
from domain.org_chart import OrgLine, OrgRefusal
from domain.org_chart import OrgRefusalReason as Why

HEADER = "email,manager_email,department,location,employee_id\n"


def test_a_plain_file_is_read_line_by_line_with_addresses_lower_cased():
    read = read_org_csv(HEADER + "Ceo@Example.com,,Board,London,E1\nana@example.com,ceo@example.com,Sales,Paris,E2\n")
    assert read.refusals == []
    assert read.lines == [
        OrgLine(2, "ceo@example.com", "", "Board", "London", "E1"),
        OrgLine(3, "ana@example.com", "ceo@example.com", "Sales", "Paris", "E2"),
    ]


def test_a_bom_semicolons_quoted_commas_and_columns_in_another_order_are_read():
    text = '\ufeffDepartment;Email;Manager email;Location\n"Sales; EMEA";ana@example.com;;"Paris, France"\n'
    read = read_org_csv(text)
    assert read.refusals == []
    assert read.lines == [OrgLine(2, "ana@example.com", "", "Sales; EMEA", "Paris, France", "")]


def test_quoted_commas_in_a_comma_file_stay_in_their_field():
    read = read_org_csv(HEADER + 'ana@example.com,,"Sales, EMEA","Paris, France",\n')
    assert read.lines == [OrgLine(2, "ana@example.com", "", "Sales, EMEA", "Paris, France", "")]


def test_the_employee_id_column_is_optional():
    read = read_org_csv("email,manager_email,department,location\nana@example.com,,Sales,Paris\n")
    assert read.refusals == [] and read.lines[0].employee_id == ""


def test_a_header_without_a_required_column_is_refused_at_line_one():
    read = read_org_csv("email,department,location\nana@example.com,Sales,Paris\n")
    assert read.refusals == [OrgRefusal(1, Why.MISSING_COLUMN, "manager_email")]
    assert read.lines == []


def test_an_empty_file_or_a_header_alone_is_refused():
    assert read_org_csv("").refusals == [OrgRefusal(1, Why.NO_LINES)]
    assert read_org_csv(HEADER).refusals == [OrgRefusal(1, Why.NO_LINES)]


def test_every_bad_line_is_refused_with_its_number_and_reason():
    text = HEADER + "\n".join([
        "ceo@example.com,,Board,London,",  # 2: fine
        ",ceo@example.com,Sales,Paris,",  # 3: no email
        "not-an-address,ceo@example.com,Sales,Paris,",  # 4: malformed
        "ana@example.com,ceo@example.com,Sales,Paris,",  # 5: fine
        "ANA@example.com,ceo@example.com,Sales,Paris,",  # 6: a duplicate of line 5
        "bo@example.com,boss at example,Sales,Paris,",  # 7: malformed manager
    ]) + "\n"
    read = read_org_csv(text)
    assert read.refusals == [
        OrgRefusal(3, Why.MISSING_EMAIL),
        OrgRefusal(4, Why.MALFORMED_EMAIL, "not-an-address"),
        OrgRefusal(6, Why.DUPLICATE_EMAIL, "ana@example.com", ("5",)),
        OrgRefusal(7, Why.MALFORMED_MANAGER_EMAIL, "boss at example"),
    ]


def test_blank_lines_are_skipped_and_do_not_shift_line_numbers():
    read = read_org_csv(HEADER + "\nana@example.com,,Sales,Paris,\n\n,,,,\nbo@example.com,,IT,Rome,\n")
    assert [line.line for line in read.lines] == [3, 6]


def test_a_manager_loop_is_refused_on_each_of_its_lines_naming_the_chain():
    text = HEADER + "\n".join([
        "ceo@example.com,,Board,London,",  # 2
        "a@example.com,b@example.com,Sales,Paris,",  # 3
        "b@example.com,c@example.com,Sales,Paris,",  # 4
        "c@example.com,a@example.com,Sales,Paris,",  # 5
        "d@example.com,a@example.com,Sales,Paris,",  # 6: below the loop, not in it
    ]) + "\n"
    read = read_org_csv(text)
    a, b, c = "a@example.com", "b@example.com", "c@example.com"
    assert read.refusals == [  # each line's chain starts from its own person
        OrgRefusal(3, Why.MANAGER_LOOP, a, (a, b, c, a)),
        OrgRefusal(4, Why.MANAGER_LOOP, b, (b, c, a, b)),
        OrgRefusal(5, Why.MANAGER_LOOP, c, (c, a, b, c)),
    ]


def test_someone_named_as_their_own_manager_is_a_loop_of_one():
    read = read_org_csv(HEADER + "a@example.com,A@example.com,Sales,Paris,\n")
    assert read.refusals == [OrgRefusal(2, Why.MANAGER_LOOP, "a@example.com", ("a@example.com", "a@example.com"))]


def test_managers_outside_the_file_are_the_ones_slack_is_asked_about():
    read = read_org_csv(HEADER + "a@example.com,boss@example.com,Sales,Paris,\nb@example.com,a@example.com,IT,Rome,\n")
    assert managers_outside(read.lines) == {"boss@example.com"}


def test_slack_refuses_an_unknown_address_a_deactivated_account_and_a_manager_nowhere():
    lines = [
        OrgLine(2, "a@example.com", "boss@example.com"),
        OrgLine(3, "b@example.com", "a@example.com"),
        OrgLine(4, "gone@example.com", "a@example.com"),
        OrgLine(5, "c@example.com", "nobody@example.com"),
    ]
    found = {"a@example.com": "UA", "b@example.com": "UB", "boss@example.com": "UBOSS", "c@example.com": "UC"}
    refusals = slack_refusals(lines, user_ids=found, unusable={"gone@example.com": Why.DEACTIVATED})
    assert refusals == [
        OrgRefusal(4, Why.DEACTIVATED, "gone@example.com"),
        OrgRefusal(5, Why.UNKNOWN_MANAGER, "nobody@example.com"),
    ]
    unknown = slack_refusals([OrgLine(2, "x@example.com")], user_ids={}, unusable={})
    assert unknown == [OrgRefusal(2, Why.UNKNOWN_IN_SLACK, "x@example.com")]


def test_five_thousand_lines_in_a_tree_are_all_read():
    rows = ["p0@example.com,,Board,London,E0"]
    rows += [f"p{n}@example.com,p{(n - 1) // 5}@example.com,Dept {n % 40},City {n % 7},E{n}" for n in range(1, 5000)]
    read = read_org_csv(HEADER + "\n".join(rows) + "\n")
    assert read.refusals == [] and len(read.lines) == 5000


# --- an org chart uploaded as a file --------------------------------------------------------------


def test_a_csv_is_known_by_its_type_or_its_name_and_a_spreadsheet_is_not_one():
    from bot.rules.org_chart import is_csv
    from domain.org_chart import UploadedFile

    assert is_csv(UploadedFile("F1", name="Org.CSV"))
    assert is_csv(UploadedFile("F1", name="export", filetype="csv"))
    assert is_csv(UploadedFile("F1", name="export", mimetype="text/csv"))
    assert not is_csv(UploadedFile("F1", name="org.xlsx", mimetype="application/vnd.ms-excel"))
    assert not is_csv(UploadedFile("F1", name="photo.png", filetype="png", mimetype="image/png"))


def test_a_file_over_a_megabyte_or_without_an_address_is_not_fetched():
    from bot.rules.org_chart import file_problem
    from domain.org_chart import MAX_FILE_BYTES, OrgFileProblem, UploadedFile

    assert file_problem(UploadedFile("F1", name="a.csv", size=MAX_FILE_BYTES + 1, url="https://files.slack.com/x")) is OrgFileProblem.TOO_BIG
    assert file_problem(UploadedFile("F1", name="a.csv", size=10)) is OrgFileProblem.UNREADABLE
    assert file_problem(UploadedFile("F1", name="a.csv", size=MAX_FILE_BYTES, url="https://files.slack.com/x")) is None


def test_the_file_is_read_as_utf8_with_a_bom_utf16_or_windows_1252_and_binary_is_refused():
    from bot.rules.org_chart import decode_csv

    assert decode_csv("\ufeffemail;dept\nzoë@example.com;R&D".encode()) == "email;dept\nzoë@example.com;R&D"
    assert decode_csv("email,dept\nzoë@example.com,R&D".encode("utf-16")) == "email,dept\nzoë@example.com,R&D"
    assert decode_csv("email,dept\nzoë@example.com,Zürich".encode("cp1252")) == "email,dept\nzoë@example.com,Zürich"
    assert decode_csv(b"PK\x03\x04\x00\x00") is None
