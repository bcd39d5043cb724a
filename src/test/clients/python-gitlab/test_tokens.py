"""Patrol's /api/v4 driven by python-gitlab 3.12 (Debian's python3-gitlab), for the calls that version has:
user look-ups, personal access token create/list/delete, impersonation, project and group access tokens
(list, create, delete) and deploy tokens. Rotation needs python-gitlab 4; the gitbeaker suite covers it.

Run: PATROL_URL=http://127.0.0.1:8080 PATROL_ROOT_TOKEN=glpat-... /usr/bin/python3 -m unittest -v test_tokens
"""
import datetime
import json
import os
import time
import unittest
import urllib.request

import gitlab

URL = os.environ["PATROL_URL"]
ROOT_TOKEN = os.environ["PATROL_ROOT_TOKEN"]
SEQ = [0]


def unique(base):
    SEQ[0] += 1
    return f"{base}-py{os.getpid()}-{int(time.time()) % 100000}-{SEQ[0]}"


def gql(query, variables):
    request = urllib.request.Request(f"{URL}/graphql", method="POST",
                                     data=json.dumps({"query": query, "variables": variables}).encode(),
                                     headers={"PRIVATE-TOKEN": ROOT_TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    if "errors" in body:
        raise AssertionError(body["errors"])
    return body["data"]


def create_user():
    username = unique("pyuser")
    data = gql("mutation($u: String!, $e: String!) { userCreate(input: {username: $u, name: $u, email: $e}) "
               "{ user { id } errors } }", {"u": username, "e": f"{username}@example.com"})
    return int(data["userCreate"]["user"]["id"].split("/")[-1]), username


def create_project():
    group = unique("pyacme")
    gql("mutation($p: String!) { groupCreate(input: {path: $p}) { errors } }", {"p": group})
    gql("mutation($g: String!) { projectCreate(input: {groupPath: $g, path: \"api\"}) { errors } }", {"g": group})
    return group, f"{group}/api"


def in_days(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


class PatrolWithPythonGitlab(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gl = gitlab.Gitlab(URL, private_token=ROOT_TOKEN)

    def test_current_user_and_user_by_id(self):
        self.gl.auth()
        self.assertEqual(self.gl.user.username, "root")
        user_id, username = create_user()
        self.assertEqual(self.gl.users.get(user_id).username, username)

    def test_personal_access_tokens_create_list_filter_delete(self):
        user_id, _ = create_user()
        user = self.gl.users.get(user_id, lazy=True)
        laptop = user.personal_access_tokens.create({"name": "laptop", "scopes": ["api"], "expires_at": in_days(30)})
        self.assertTrue(laptop.token.startswith("glpat-"))
        for i in range(3):
            user.personal_access_tokens.create({"name": f"t{i}", "scopes": ["read_api"]})
        every = self.gl.personal_access_tokens.list(user_id=user_id, per_page=2, all=True)
        self.assertEqual(sorted(t.name for t in every), ["laptop", "t0", "t1", "t2"])
        self.assertFalse(any("token" in t.attributes for t in every))
        self.assertEqual([t.name for t in self.gl.personal_access_tokens.list(user_id=user_id, search="lap")],
                         ["laptop"])
        self.gl.personal_access_tokens.delete(laptop.id)
        revoked = self.gl.personal_access_tokens.list(user_id=user_id, revoked=True)
        self.assertEqual([t.id for t in revoked], [laptop.id])
        own = gitlab.Gitlab(URL, private_token=laptop.token)
        with self.assertRaises(gitlab.exceptions.GitlabAuthenticationError):
            own.auth()

    def test_impersonation_tokens(self):
        user_id, username = create_user()
        user = self.gl.users.get(user_id, lazy=True)
        token = user.impersonationtokens.create({"name": "support", "scopes": ["read_api"]})
        self.assertTrue(token.impersonation)
        as_user = gitlab.Gitlab(URL, private_token=token.token)
        as_user.auth()
        self.assertEqual(as_user.user.username, username)
        self.assertEqual(user.impersonationtokens.get(token.id).name, "support")
        self.assertEqual([t.id for t in user.impersonationtokens.list(state="active")], [token.id])
        user.impersonationtokens.delete(token.id)
        self.assertEqual(user.impersonationtokens.list(state="active"), [])

    def test_project_and_group_access_tokens_by_path(self):
        group_path, project_path = create_project()
        project = self.gl.projects.get(project_path, lazy=True)
        created = project.access_tokens.create({"name": "ci", "scopes": ["read_api"], "access_level": 30,
                                                "expires_at": in_days(10)})
        self.assertEqual(created.access_level, 30)
        self.assertEqual([t.id for t in project.access_tokens.list()], [created.id])
        project.access_tokens.delete(created.id)
        self.assertTrue(project.access_tokens.list()[0].revoked)
        group = self.gl.groups.get(group_path, lazy=True)
        group_token = group.access_tokens.create({"name": "gbot", "scopes": ["api"]})
        self.assertEqual(group_token.access_level, 40)
        self.assertEqual([t.id for t in group.access_tokens.list()], [group_token.id])

    def test_deploy_tokens(self):
        group_path, project_path = create_project()
        project = self.gl.projects.get(project_path, lazy=True)
        token = project.deploytokens.create({"name": "registry", "scopes": ["read_registry"]})
        self.assertTrue(token.token.startswith("gldt-"))
        self.assertEqual(project.deploytokens.get(token.id).username, f"gitlab+deploy-token-{token.id}")
        self.assertEqual([t.id for t in project.deploytokens.list()], [token.id])
        project.deploytokens.delete(token.id)
        group = self.gl.groups.get(group_path, lazy=True)
        group_token = group.deploytokens.create({"name": "pull", "scopes": ["read_repository"]})
        self.assertIn(group_token.id, [t.id for t in self.gl.deploytokens.list(all=True)])

    def test_bad_input_is_a_gitlab_error_with_its_message(self):
        project = self.gl.projects.get("no/such-project", lazy=True)
        with self.assertRaises(gitlab.exceptions.GitlabListError) as raised:
            project.access_tokens.list()
        self.assertEqual(raised.exception.response_code, 404)
        self.assertIn("404 Project Not Found", str(raised.exception))
        user_id, _ = create_user()
        with self.assertRaises(gitlab.exceptions.GitlabCreateError) as raised:
            self.gl.users.get(user_id, lazy=True).personal_access_tokens.create({"name": "x", "scopes": ["root"]})
        self.assertEqual(raised.exception.response_code, 400)


if __name__ == "__main__":
    unittest.main()
