"""One reading of a directory entry for single sign-on and the directory sync."""
import pytest

from app.rules.directory import DirectoryEntryError, DirectoryMapping, person_from_attributes

MAPPING = DirectoryMapping(steps={"BUT3-INFODOC": "BUT3", "BUT2-INFODOC": "BUT2"},
                           secretariat_uids=frozenset({"nmartin"}))


def test_a_student_of_the_department_gets_cohort_and_group():
    person = person_from_attributes({
        "uid": ["lmartin"], "mail": ["Lea.Martin@etu.univ.fr"], "givenName": ["Léa"],
        "sn": ["Martin"], "eduPersonAffiliation": ["member", "student"],
        "supannEtuEtape": ["{UAI:0301687W}BUT3-INFODOC"], "supannEtuGroupe": ["TD2"]}, MAPPING)
    assert (person.role, person.cohort, person.group_name) == ("student", "BUT3", "TD2")
    assert person.email == "lea.martin@etu.univ.fr"


def test_a_student_of_another_department_has_no_access():
    person = person_from_attributes({
        "uid": "x", "mail": "x@u.fr", "givenName": "X", "sn": "Y",
        "eduPersonAffiliation": ["student"], "supannEtuEtape": ["LIC-HIST"]}, MAPPING)
    assert person.role is None


def test_faculty_is_a_teacher_and_staff_only_when_named_secretariat():
    base = {"mail": "a@u.fr", "givenName": "A", "sn": "B"}
    faculty = {**base, "uid": "t", "eduPersonAffiliation": ["faculty", "member"]}
    assert person_from_attributes(faculty, MAPPING).role == "teacher"
    assert person_from_attributes({**base, "uid": "s", "eduPersonAffiliation": ["staff"]},
                                  MAPPING).role is None
    assert person_from_attributes({**base, "uid": "nmartin", "edupersonaffiliation": ["staff"]},
                                  MAPPING).role == "secretariat"


def test_an_entry_without_mail_is_refused_with_what_is_missing():
    with pytest.raises(DirectoryEntryError, match="mail"):
        person_from_attributes({"uid": "a", "givenName": "A", "sn": "B"}, MAPPING)
