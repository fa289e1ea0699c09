"""Teams' facts sheets (tools, people, code, data, trainings) and the indicators their
mentors choose.
"""
