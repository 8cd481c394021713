print("playbook")
